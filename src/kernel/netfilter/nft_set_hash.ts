// net/netfilter/nft_set_hash.c: sets and maps of single values (nft_rhash
// for sets that grow at run time, nft_hash for fixed ones): one bucket per
// key. Expired elements (timeouts) are not found and are collected when met
// (nft_rhash_gc does it from a work item every gc-interval).
import { EEXIST } from '../uapi/errno.ts';
import type { NftSetBackend, NftSetElemK } from './nf_tables_api.ts';

/** The key's bytes as a string (one char per byte): equal keys, equal strings; order is memcmp order. */
export function nft_key_str(k: Uint8Array, off = 0, len = k.length): string {
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(k[off + i] as number);
  return s;
}

/** Keys of up to 4 bytes hash as numbers (the common case: addresses, ports, marks), longer ones as strings. */
function key_of(k: Uint8Array, off: number, len: number): string | number {
  if (len <= 4) {
    let v = 0;
    for (let i = 0; i < len; i++) v = v * 256 + (k[off + i] as number);
    return v;
  }
  return nft_key_str(k, off, len);
}

export class NftHashSet implements NftSetBackend {
  readonly map = new Map<string | number, NftSetElemK>();
  constructor(
    readonly name: 'nft_rhash' | 'nft_hash',
    readonly now: () => number,
  ) {}

  get size(): number {
    return this.map.size;
  }

  private live(e: NftSetElemK | undefined, key: string | number): NftSetElemK | null {
    if (!e) return null;
    if (e.expires && e.expires <= this.now()) {
      this.map.delete(key);
      return null;
    }
    return e;
  }

  lookup(regs: Uint8Array, off: number, len: number): NftSetElemK | null {
    const k = key_of(regs, off, len);
    return this.live(this.map.get(k), k);
  }

  get(el: NftSetElemK): NftSetElemK | null {
    const k = key_of(el.key, 0, el.key.length);
    return this.live(this.map.get(k), k);
  }

  insert(el: NftSetElemK): number {
    const k = key_of(el.key, 0, el.key.length);
    if (this.live(this.map.get(k), k)) return -EEXIST;
    this.map.set(k, el);
    return 0;
  }

  remove(el: NftSetElemK): void {
    const k = key_of(el.key, 0, el.key.length);
    if (this.map.get(k) === el) this.map.delete(k);
  }

  *walk(): Iterable<NftSetElemK> {
    yield* [...this.map.values()];
  }
}
