// net/netfilter/nft_set_pipapo.c: sets of ranges given as a start key and an
// end key (NFTA_SET_ELEM_KEY_END), concatenations of fields included: a key
// matches an element when each field lies within that field's range. The
// kernel's bit-sliced lookup tables give the same answers as this scan.
import { EEXIST } from '../uapi/errno.ts';
import type { NftSetBackend, NftSetElemK } from './nf_tables_api.ts';
import { nft_key_str } from './nft_set_hash.ts';

export class NftPipapoSet implements NftSetBackend {
  readonly name = 'nft_pipapo';
  private readonly elems: NftSetElemK[] = [];
  /** byte length of each field as it sits in the registers (a multiple of 4) */
  private readonly fields: number[];
  constructor(
    keyLen: number,
    concat: number[] | undefined,
    readonly now: () => number,
  ) {
    this.fields = concat?.length ? concat.map((l) => Math.ceil(l / 4) * 4) : [keyLen];
  }

  get size(): number {
    return this.elems.length;
  }

  lookup(regs: Uint8Array, off: number, _len: number): NftSetElemK | null {
    const now = this.now();
    outer: for (const e of this.elems) {
      if (e.expires && e.expires <= now) continue;
      const end = e.keyEnd ?? e.key;
      let o = 0;
      for (const f of this.fields) {
        for (let i = 0; i < f; i++) {
          const v = regs[off + o + i] as number;
          const a = e.key[o + i] as number;
          if (v < a) continue outer;
          if (v > a) break;
        }
        for (let i = 0; i < f; i++) {
          const v = regs[off + o + i] as number;
          const b = end[o + i] as number;
          if (v > b) continue outer;
          if (v < b) break;
        }
        o += f;
      }
      return e;
    }
    return null;
  }

  get(el: NftSetElemK): NftSetElemK | null {
    const k = nft_key_str(el.key);
    const ke = nft_key_str(el.keyEnd ?? el.key);
    for (const e of this.elems) if (nft_key_str(e.key) === k && nft_key_str(e.keyEnd ?? e.key) === ke) return e;
    return null;
  }

  insert(el: NftSetElemK): number {
    if (this.get(el)) return -EEXIST;
    this.elems.push(el);
    return 0;
  }

  remove(el: NftSetElemK): void {
    const i = this.elems.indexOf(el);
    if (i >= 0) this.elems.splice(i, 1);
  }

  *walk(): Iterable<NftSetElemK> {
    yield* [...this.elems];
  }
}
