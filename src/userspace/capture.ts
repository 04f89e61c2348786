// A packet capture as `tcpdump -i DEV -w FILE` takes it: an AF_PACKET
// (ETH_P_ALL) tap bound to one device, so it changes outcomes exactly as a
// real capture does. Like libpcap, it skips outgoing frames on loopback.
import { dev_set_promiscuity } from '../kernel/core/dev.ts';
import { ETH_P_ALL, IFF_LOOPBACK, type NetDevice, type PacketType } from '../kernel/core/netdevice.ts';
import { PACKET_OUTGOING, type SkBuff } from '../kernel/skbuff.ts';
import type { Sim } from '../sim/sim.ts';
import { PcapWriter } from '../wire/pcap.ts';

export class Capture {
  readonly writer = new PcapWriter({});
  readonly pt: PacketType;
  frames = 0;
  private open = true;
  /** Bytes of frames held, charged to the memory budget. */
  private kept = 0;

  constructor(
    readonly dev: NetDevice,
    private readonly sim: Sim,
    readonly onFrame?: (frame: Uint8Array, skb: SkBuff) => void,
    /** libpcap opens promiscuous unless told not to (tcpdump -p). */
    private readonly promisc = true,
  ) {
    const self = this;
    this.pt = {
      type: ETH_P_ALL,
      dev,
      func(skb: SkBuff): number {
        self.deliver(skb);
        skb.release();
        return 0;
      },
    };
    dev.ptypeAll.push(this.pt);
    if (promisc) dev_set_promiscuity(dev, 1);
  }

  private deliver(skb: SkBuff): void {
    if (!this.open) return;
    if (skb.pktType === PACKET_OUTGOING && this.dev.flags & IFF_LOOPBACK) return;
    const start = skb.macHeader >= 0 ? skb.macHeader : skb.data;
    const frame = skb.head.subarray(start, skb.tail);
    this.frames++;
    // the savefile grows in memory until close: charged to the memory budget
    this.sim.mem.charge('captures', 16 + frame.length);
    this.kept += 16 + frame.length;
    this.writer.write(this.sim.epochNs + this.sim.now, frame);
    this.onFrame?.(frame, skb);
  }

  close(): Uint8Array {
    if (this.open) {
      this.open = false;
      this.sim.mem.uncharge('captures', this.kept);
      this.kept = 0;
      const l = this.dev.ptypeAll;
      const i = l.indexOf(this.pt);
      if (i >= 0) l.splice(i, 1);
      if (this.promisc) dev_set_promiscuity(this.dev, -1);
    }
    return this.writer.bytes();
  }
}
