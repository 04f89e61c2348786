// kstrtoul(buf, 0) as netdev_store() parses what `echo VALUE > /sys/class/net/DEV/ATTR`
// writes. The cases are what this 6.18 machine did with `echo` into
// /sys/class/net/vb/mtu and tx_queue_len (the oracle scenario sysfs-net.sh
// records the same writes end to end).
import { describe, expect, it } from 'vitest';
import { kstrtoul } from '../../../src/kernel/fs/sysfs.ts';

describe('kstrtoul', () => {
  it('takes decimal, 0x hex and 0 octal, with one trailing newline', () => {
    expect(kstrtoul('1400\n')).toBe(1400);
    expect(kstrtoul('0x500\n')).toBe(1280);
    expect(kstrtoul('0x1003\n')).toBe(0x1003);
    expect(kstrtoul('010\n')).toBe(8);
    expect(kstrtoul('0\n')).toBe(0);
    expect(kstrtoul('+5')).toBe(5);
  });
  it('refuses spaces, signs, trailing junk and an empty buffer', () => {
    for (const bad of [' 1300\n', '1300x\n', 'abc\n', '-1\n', '', '\n', '1300\n\n', '08\n', '0x\n']) expect(kstrtoul(bad)).toBe('EINVAL');
  });
  it('is ERANGE past 2^64 - 1', () => {
    expect(kstrtoul('18446744073709551615')).toBe(Number(18446744073709551615n));
    expect(kstrtoul('18446744073709551616')).toBe('ERANGE');
  });
});
