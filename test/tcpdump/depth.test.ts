// Depth that comes from the filter text: nested parentheses, chains of "not"
// and of "and". tcpdump 4.99.3 compiles 1,000 nested parentheses or 5,000
// "and" terms; its bison parser stack (YYMAXDEPTH 10,000) gives up at 9,996
// nested parentheses or 9,997 "not"s with "memory exhausted" (measured on the
// real binary). Nothing may reach the JavaScript stack.
import { describe, expect, it } from 'vitest';
import { selectPath } from '../../src/machine/path_report.ts';
import { compileFilter, FilterError } from '../../src/userspace/tcpdump/compile.ts';
import { runOffline } from './helpers.ts';

const dump = (e: string) => runOffline(['-d', '-y', 'EN10MB', e]);
const paren = (n: number, e: string) => `${'('.repeat(n)}${e}${')'.repeat(n)}`;

describe('deep filters', () => {
  it('1,000 nested parentheses compile as the expression inside', () => {
    const plain = dump('tcp port 80');
    expect(plain.rc).toBe(0);
    expect(dump(paren(1000, 'tcp port 80'))).toEqual(plain);
    expect(dump(`host ${paren(1000, '10.0.0.1')}`)).toEqual(dump('host 10.0.0.1'));
    expect(dump(`${paren(1000, 'ip[0]')} = 69`)).toEqual(dump('ip[0] = 69'));
  });

  it('bison runs out of stack where tcpdump does', () => {
    expect(dump(paren(9995, 'tcp')).out).toBe(dump('tcp').out);
    expect(dump(paren(9996, 'tcp'))).toEqual({
      rc: 1,
      out: '',
      err: "tcpdump: can't parse filter expression: memory exhausted\n",
    });
    expect(dump(`${'not '.repeat(9996)}tcp`).out).toBe(dump('tcp').out);
    expect(dump(`${'not '.repeat(9997)}tcp`).err).toBe("tcpdump: can't parse filter expression: memory exhausted\n");
  });

  it('long chains of "and" and "not"', () => {
    expect(dump(Array(500).fill('tcp').join(' and '))).toEqual(dump('tcp'));
    expect(dump(Array(100).fill('not tcp').join(' and '))).toEqual(dump('not tcp'));
    expect(compileFilter(Array(500).fill('udp').join(' or '))).toEqual(compileFilter('udp'));
  });

  it('trace --filter and --func refuse bad input with a message', () => {
    expect(() => selectPath([], { func: '(' })).toThrow(FilterError);
    expect(() => selectPath([], { filter: paren(20000, 'tcp') })).toThrow("can't parse filter expression: memory exhausted");
    expect(selectPath([], { filter: paren(1000, 'tcp') })).toEqual([]);
  });
});
