// tc_util's parsers and printers, worked out from lib/utils_math.c,
// lib/json_print.c and lib/utils.c of iproute2 6.1 (the size printer is also
// checked against the real tc in tc.test.ts).
import { describe, expect, it } from 'vitest';
import {
  get_qdisc_handle,
  get_rate,
  get_rate64,
  get_size,
  get_tc_classid,
  get_time,
  get_time64,
  sprint_rate,
  sprint_size,
  sprint_tc_classid,
  sprint_time,
  sprint_time64,
} from '../../../src/userspace/tools/tc/tc_util.ts';

describe('rates (bytes per second inside, bits outside)', () => {
  it('get_rate takes the suffixes of utils_math.c, case-blind, and refuses the rest', () => {
    expect(get_rate('1mbit')).toBe(125000);
    expect(get_rate('1Mbit')).toBe(125000);
    expect(get_rate('1.5mbit')).toBe(187500);
    expect(get_rate('800kbit')).toBe(100000);
    expect(get_rate('1Kibit')).toBe(128);
    expect(get_rate('8KBps')).toBe(8000);
    expect(get_rate('1000')).toBe(125);
    expect(get_rate('1kbps')).toBe(1000); // strcasecmp: KBps
    expect(get_rate('mbit')).toBeNull();
    expect(get_rate('40gbit')).toBeNull(); // over u32
    expect(get_rate64('40gbit')).toBe(5e9);
  });
  it('print_rate divides by 1000 while the rest is whole or the value large', () => {
    expect(sprint_rate(125000)).toBe('1Mbit');
    expect(sprint_rate(125)).toBe('1Kbit');
    expect(sprint_rate(12345)).toBe('98760bit');
    expect(sprint_rate(125_000_000)).toBe('1Gbit');
    expect(sprint_rate(187500)).toBe('1500Kbit');
    expect(sprint_rate(0)).toBe('0bit');
    expect(sprint_rate(128, true)).toBe('1Kibit');
  });
});

describe('sizes and times', () => {
  it('get_size and sprint_size', () => {
    expect(get_size('1500')).toBe(1500);
    expect(get_size('10k')).toBe(10240);
    expect(get_size('2mbit')).toBe(262144);
    expect(get_size('1.5')).toBe(1); // truncated, and 1 == floor(1.5)
    expect(get_size('1x')).toBeNull();
    expect(sprint_size(1500)).toBe('1500b');
    expect(sprint_size(10240)).toBe('10Kb');
    expect(sprint_size(1030)).toBe('1Kb'); // within 16 bytes of a whole Kb
    expect(sprint_size(1050)).toBe('1050b');
    expect(sprint_size(2 * 1024 * 1024)).toBe('2Mb');
  });
  it('get_time is in microseconds, sprint_time prints three significant digits', () => {
    expect(get_time('10ms')).toBe(10000);
    expect(get_time('1.5s')).toBe(1500000);
    expect(get_time('5')).toBe(5);
    expect(get_time('5us')).toBe(5);
    expect(get_time('x')).toBeNull();
    expect(get_time('5m')).toBeNull();
    expect(sprint_time(10000)).toBe('10ms');
    expect(sprint_time(1500000)).toBe('1.5s');
    expect(sprint_time(500)).toBe('500us');
    expect(sprint_time(123456)).toBe('123ms');
    expect(get_time64('2ns')).toBe(2);
    expect(sprint_time64(1500)).toBe('1.5us');
    expect(sprint_time64(999)).toBe('999ns');
  });
});

describe('handles', () => {
  it('qdisc handles and class ids parse and print as tc_util.c does', () => {
    expect(get_qdisc_handle('1:')).toBe(0x10000);
    expect(get_qdisc_handle('ffff:')).toBe(0xffff0000);
    expect(get_qdisc_handle('1')).toBe(0x10000);
    expect(get_qdisc_handle('10000:')).toBeNull();
    expect(get_qdisc_handle('none')).toBe(0);
    expect(get_tc_classid('1:10')).toBe(0x10010);
    expect(get_tc_classid(':10')).toBe(0x10);
    expect(get_tc_classid('root')).toBe(0xffffffff);
    expect(get_tc_classid('1:x')).toBeNull();
    expect(sprint_tc_classid(0x10010)).toBe('1:10');
    expect(sprint_tc_classid(0x10)).toBe(':10');
    expect(sprint_tc_classid(0x10000)).toBe('1:');
    expect(sprint_tc_classid(0xffffffff)).toBe('root');
    expect(sprint_tc_classid(0)).toBe('none');
  });
});
