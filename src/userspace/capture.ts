// A packet capture as `tcpdump -i DEV -w FILE` takes it: an AF_PACKET
// (ETH_P_ALL) socket bound to one device, promiscuous as libpcap opens it,
// read as soon as it is readable, so it changes outcomes exactly as a real
// capture does. Like libpcap, it skips outgoing frames on loopback.
import type { Net } from '../kernel/net_namespace.ts';
import {
  ETH_P_ALL,
  PACKET_ADD_MEMBERSHIP,
  PACKET_MR_PROMISC,
  PACKET_OUTGOING,
  PACKET_RESERVE,
  PACKET_RX_RING,
  PACKET_VERSION,
  packet_socket,
  packet_sys_bind,
  packet_sys_close,
  packet_sys_fasync,
  packet_sys_ring_next,
  packet_sys_setsockopt,
  type PacketSocket,
  type SockaddrLl,
  type TpacketReq3,
  SOCK_RAW,
  SOL_PACKET,
  TPACKET_V3,
} from '../kernel/uapi/packet.ts';
import { type Ifreq, ioctl, SIOCGIFINDEX } from '../kernel/uapi/sockios.ts';
import type { Sim } from '../sim/sim.ts';
import { PcapWriter } from '../wire/pcap.ts';

/** libpcap reserves room to put a VLAN tag back in front of the payload. */
export const VLAN_TAG_LEN = 4;
/** libpcap's default buffer (-B): 2 MiB. */
export const PCAP_BUFFER_SIZE = 2 * 1024 * 1024;
const MAXIMUM_SNAPLEN = 262144;

/** create_ring() for TPACKET_V3: "frames" of MAXIMUM_SNAPLEN, as many as the buffer rounded up needs, in page-multiple blocks. */
export function pcapRing(bufferSize = PCAP_BUFFER_SIZE, timeoutMs = 1000): TpacketReq3 {
  const frameSize = MAXIMUM_SNAPLEN;
  let blockSize = 4096;
  while (blockSize < frameSize) blockSize <<= 1;
  const frameNr = Math.ceil(bufferSize / frameSize);
  const blockNr = Math.floor(frameNr / Math.floor(blockSize / frameSize));
  return { tp_block_size: blockSize, tp_block_nr: blockNr, tp_frame_size: frameSize, tp_frame_nr: frameNr, tp_retire_blk_tov: timeoutMs };
}

export class Capture {
  readonly writer = new PcapWriter({});
  frames = 0;
  private readonly sk: PacketSocket;
  private open = true;
  /** Bytes of frames held, charged to the memory budget. */
  private kept = 0;
  /** libpcap's lo_ifindex: outgoing frames on loopback are seen again as incoming. */
  private readonly loIfindex: number;

  constructor(
    net: Net,
    readonly ifindex: number,
    private readonly sim: Sim,
    readonly onFrame?: (frame: Uint8Array, from: SockaddrLl) => void,
    /** libpcap opens promiscuous unless told not to (tcpdump -p). */
    promisc = true,
  ) {
    const lo: Ifreq = { ifr_name: 'lo' };
    this.loIfindex = ioctl(net, SIOCGIFINDEX, lo) === 0 ? (lo.ifr_ifindex ?? -1) : -1;
    const sk = packet_socket(net, SOCK_RAW, 0);
    if (typeof sk === 'number') throw new Error(`socket(AF_PACKET): ${-sk}`);
    this.sk = sk;
    packet_sys_fasync(sk, () => this.drain());
    if (promisc) packet_sys_setsockopt(sk, SOL_PACKET, PACKET_ADD_MEMBERSHIP, { mr_ifindex: ifindex, mr_type: PACKET_MR_PROMISC });
    packet_sys_setsockopt(sk, SOL_PACKET, PACKET_VERSION, TPACKET_V3);
    packet_sys_setsockopt(sk, SOL_PACKET, PACKET_RESERVE, VLAN_TAG_LEN);
    packet_sys_setsockopt(sk, SOL_PACKET, PACKET_RX_RING, pcapRing());
    packet_sys_bind(sk, { sll_ifindex: ifindex, sll_protocol: ETH_P_ALL });
  }

  private drain(): void {
    for (;;) {
      const m = packet_sys_ring_next(this.sk);
      if (m === null) return;
      if (!this.open) continue;
      if (m.sll.sll_pkttype === PACKET_OUTGOING && m.sll.sll_ifindex === this.loIfindex) continue;
      this.frames++;
      // the savefile grows in memory until close: charged to the memory budget
      this.sim.mem.charge('captures', 16 + m.data.length);
      this.kept += 16 + m.data.length;
      this.writer.write(m.tstamp, m.data);
      this.onFrame?.(m.data, m.sll);
    }
  }

  close(): Uint8Array {
    if (this.open) {
      this.open = false;
      this.sim.mem.uncharge('captures', this.kept);
      this.kept = 0;
      packet_sys_close(this.sk);
    }
    return this.writer.bytes();
  }
}
