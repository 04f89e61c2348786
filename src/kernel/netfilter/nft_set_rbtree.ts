// net/netfilter/nft_set_rbtree.c: interval sets. A range is two elements, its
// start and, flagged NFT_SET_ELEM_INTERVAL_END, the key just past its end; a
// key matches when the closest element at or below it is a start. Kept
// sorted (here an array searched by bisection, the kernel's tree).
import { EEXIST } from '../uapi/errno.ts';
import { NFT_SET_ELEM_INTERVAL_END } from '../uapi/nf_tables.ts';
import type { NftSetBackend, NftSetElemK } from './nf_tables_api.ts';
import { nft_key_str } from './nft_set_hash.ts';

interface Node {
  k: string;
  end: boolean;
  el: NftSetElemK;
}

export class NftRbtreeSet implements NftSetBackend {
  readonly name = 'nft_rbtree';
  private readonly nodes: Node[] = [];
  constructor(readonly now: () => number) {}

  get size(): number {
    return this.nodes.length;
  }

  /** first index with key > k (or >= when `incl`) */
  private bisect(k: string, incl: boolean): number {
    let lo = 0;
    let hi = this.nodes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = (this.nodes[mid] as Node).k;
      if (m < k || (!incl && m === k)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  lookup(regs: Uint8Array, off: number, len: number): NftSetElemK | null {
    const k = nft_key_str(regs, off, len);
    // the last element with key <= k; an end element equal to k closes the range before it
    let i = this.bisect(k, false) - 1;
    while (i >= 0) {
      const n = this.nodes[i] as Node;
      if (n.el.expires && n.el.expires <= this.now()) {
        i--;
        continue;
      }
      if (n.end) return null;
      return n.el;
    }
    return null;
  }

  get(el: NftSetElemK): NftSetElemK | null {
    const k = nft_key_str(el.key);
    const end = (el.flags & NFT_SET_ELEM_INTERVAL_END) !== 0;
    for (let i = this.bisect(k, true); i < this.nodes.length; i++) {
      const n = this.nodes[i] as Node;
      if (n.k !== k) break;
      if (n.end === end) return n.el;
    }
    return null;
  }

  insert(el: NftSetElemK): number {
    if (this.get(el)) return -EEXIST;
    const k = nft_key_str(el.key);
    const end = (el.flags & NFT_SET_ELEM_INTERVAL_END) !== 0;
    // an end sorts before a start of the same key (a range ending where the next begins)
    let i = this.bisect(k, true);
    if (!end) while (i < this.nodes.length && (this.nodes[i] as Node).k === k) i++;
    this.nodes.splice(i, 0, { k, end, el });
    return 0;
  }

  remove(el: NftSetElemK): void {
    const i = this.nodes.findIndex((n) => n.el === el);
    if (i >= 0) this.nodes.splice(i, 1);
  }

  *walk(): Iterable<NftSetElemK> {
    // nft_rbtree_walk() goes from the highest key down
    for (let i = this.nodes.length - 1; i >= 0; i--) yield (this.nodes[i] as Node).el;
  }
}
