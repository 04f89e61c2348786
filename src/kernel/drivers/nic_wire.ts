// The cable between two simulated NICs (skbpath's own; Linux has no such
// object): full duplex, a line rate and a one-way propagation delay. A frame
// occupies its direction of the wire for (preamble + frame + FCS + IFG)
// bits at the line rate, so a sender that outruns the receiver fills the
// receiver's ring. Frames are bytes as on the wire (FCS not carried).
import type { Sim } from '../../sim/sim.ts';
import type { NetDevice } from '../core/netdevice.ts';

/** One end of a cable: a NIC's receive side. */
export interface WireEnd {
  readonly netdev: NetDevice;
  /** The MAC/PHY received a frame (at the end of its last bit). `origin` is the sender skb's lineage. */
  wireRx(frame: Uint8Array, origin: number): void;
  /** The peer's PHY came up or went down. */
  linkChange(up: boolean): void;
  /** Whether this end's PHY is powered (the interface is up). */
  phyUp(): boolean;
}

/** Ethernet preamble + SFD, FCS and the minimum inter-frame gap, in bytes. */
const PREAMBLE = 8;
const FCS = 4;
const IFG = 12;
const ETH_ZLEN = 60;

interface Delivery {
  wire: Wire;
  to: WireEnd;
  frame: Uint8Array;
  origin: number;
}

function deliver(d: Delivery): void {
  // a frame in flight when the link went down is lost
  if (d.wire.up) d.to.wireRx(d.frame, d.origin);
}

export class Wire {
  /** The time each direction's transmitter is busy until (a → b, b → a). */
  private readonly busy = [0, 0];
  /** Frames and bytes each direction carried. */
  readonly carried = [0, 0];

  constructor(
    readonly sim: Sim,
    readonly a: WireEnd,
    readonly b: WireEnd,
    /** Line rate in Mb/s. */
    public speedMbps: number,
    /** One-way propagation delay in ns. */
    public delayNs: number,
  ) {}

  /** Both PHYs are up: the link is up. */
  get up(): boolean {
    return this.a.phyUp() && this.b.phyUp();
  }

  peerOf(end: WireEnd): WireEnd {
    return end === this.a ? this.b : this.a;
  }

  /** Time one frame of `len` bytes (without FCS) occupies the wire, ns. */
  serializationNs(len: number): number {
    const bytes = PREAMBLE + Math.max(len, ETH_ZLEN) + FCS + IFG;
    return Math.ceil((bytes * 8 * 1000) / this.speedMbps);
  }

  /**
   * Puts frames on the wire from `from`, starting no earlier than `at`;
   * returns when the last bit has left (the TX descriptor is done then).
   */
  transmit(from: WireEnd, frames: readonly Uint8Array[], origin: number, at: number): number {
    const dir = from === this.a ? 0 : 1;
    const to = dir === 0 ? this.b : this.a;
    let t = Math.max(at, this.busy[dir] as number);
    for (const f of frames) {
      t += this.serializationNs(f.length);
      this.carried[dir] = (this.carried[dir] as number) + 1;
      if (this.up) this.sim.events.at(t + this.delayNs, deliver, { wire: this, to, frame: f, origin });
    }
    this.busy[dir] = t;
    return t;
  }

  /** Either end changed its PHY state: both ends learn the link state. */
  notify(): void {
    const up = this.up;
    this.a.linkChange(up);
    this.b.linkChange(up);
  }
}
