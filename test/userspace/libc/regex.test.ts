// The regex engine: POSIX/GNU syntax, leftmost-longest matches, and linear
// work on the patterns that make a backtracking matcher exponential (counted
// in the engine's own steps, not in host time).
import { describe, expect, it } from 'vitest';
import { RegexBudgetError, RegexSyntaxError, regcomp } from '../../../src/userspace/libc/regex.ts';

const m = (p: string, s: string, f = {}): number[] | null => regcomp(p, f).exec(s);

describe('regex syntax and matching', () => {
  it('parses BRE and ERE as glibc does', () => {
    expect(m('a\\(b\\)*c\\{2\\}', 'xabbcc')).toEqual([1, 6, 3, 4]);
    expect(m('a+b?(c)|d{1,2}', 'a+b?(c)|d{1,2}')).toEqual([0, 14]);
    expect(m('a+b?(c)|d{1,2}', 'aac', { extended: true })).toEqual([0, 3, 2, 3]);
    expect(m('[]a\\-]', '-')).toEqual([0, 1]);
    expect(m('*a', 'x*a')).toEqual([1, 3]);
    expect(m('a\\|b\\+', 'cbb')).toEqual([1, 3]);
    expect(m('\\<is\\>', 'this is')).toEqual([5, 7]);
    expect(m('[[:digit:]]\\{2,\\}', 'a1b234')).toEqual([3, 6]);
    expect(m('HeLLo', 'say hello', { icase: true })).toEqual([4, 9]);
    expect(m('\\(.\\)\\1', 'abccd')).toEqual([2, 4, 2, 3]);
  });

  it('finds the leftmost-longest match', () => {
    expect(m('a\\|ab', 'abc')).toEqual([0, 2]);
    expect(m('(a|ab)(c|bcd)', 'abcd', { extended: true })).toEqual([0, 4, 0, 1, 1, 4]);
    expect(m('b*$', 'abb')).toEqual([1, 3]);
  });

  it("reports glibc's messages", () => {
    const err = (p: string, f = {}): string => {
      try {
        regcomp(p, f);
        return '';
      } catch (e) {
        expect(e).toBeInstanceOf(RegexSyntaxError);
        return (e as Error).message;
      }
    };
    expect(err('[a')).toBe('Unmatched [, [^, [:, [., or [=');
    expect(err('[')).toBe('Invalid regular expression');
    expect(err('\\(a')).toBe('Unmatched ( or \\(');
    expect(err('a\\)')).toBe('Unmatched ) or \\)');
    expect(err('a\\{1')).toBe('Unmatched \\{');
    expect(err('a\\{2,1\\}')).toBe('Invalid content of \\{\\}');
    expect(err('[[:foo:]]')).toBe('Invalid character class name');
    expect(err('[z-a]')).toBe('Invalid range end');
    expect(err('a\\')).toBe('Trailing backslash');
    expect(err('\\(a\\)\\2')).toBe('Invalid back reference');
    expect(err('a{99999}', { extended: true })).toBe('Regular expression too big');
  });
});

describe('regex work is linear', () => {
  const steps = (p: string, s: string, f = {}): number => {
    const re = regcomp(p, f);
    re.exec(s);
    return re.steps;
  };
  it('^(a+)+b$ grows linearly with the text', () => {
    const s28 = steps('^(a+)+b$', 'a'.repeat(28), { extended: true });
    const s40 = steps('^(a+)+b$', 'a'.repeat(40), { extended: true });
    const s400 = steps('^(a+)+b$', 'a'.repeat(400), { extended: true });
    expect(s40).toBeLessThan(2000);
    // ten times the text, about ten times the work (never exponential)
    expect(s400 / s40).toBeLessThan(12);
    expect(s40 - s28).toBeLessThan(12 * 30);
  });
  it('nested stars and alternations stay linear', () => {
    for (const [p, f] of [
      ['(a*)*b', { extended: true }],
      ['(a|aa)+c', { extended: true }],
      ['\\(a*\\)*\\(b\\|a\\)*x', {}],
      ['(.*a){12}', { extended: true }],
    ] as const) {
      const a = steps(p, 'a'.repeat(100), f);
      const b = steps(p, 'a'.repeat(1000), f);
      expect(b / a, p).toBeLessThan(12);
    }
  });
  it('a back-reference is bounded by a step budget', () => {
    const re = regcomp('\\(a*\\)*\\1b');
    re.budget = 100_000;
    expect(() => re.exec('a'.repeat(60))).toThrow(RegexBudgetError);
  });
});
