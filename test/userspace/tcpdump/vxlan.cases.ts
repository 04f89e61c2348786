// The captures and flags test/userspace/tcpdump/vxlan.test.ts replays against
// tcpdump 4.99.3's output (vxlan.record.ts records it).
export const VXLAN_CAPTURES = [
  'vxlan-routed/pcap/vxa/va.pcap',
  'vxlan-routed/pcap/vxr/rb.pcap',
  'vxlan-fdb/pcap/vfc/vc.pcap',
  'vxlan-bad/pcap/vxbb/vb.pcap',
];
export const VXLAN_FLAGS = ['-t -nn', '-t -nn -v', '-t -nn -e', '-t -nn -q', '-t -nn -vv', '-t -n -v -e', '-t -nn -x'];
