// struct net: one per network namespace (filled in by the kernel slice).
export class Net {
  constructor(readonly name: string) {}
}
