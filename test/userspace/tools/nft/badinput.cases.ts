// Bad and big `nft -f` input (issue 20): files cut short, mistyped keywords,
// braces nested past nft's parser stack, chains in chains, a 10,000-rule file and
// a 100,000-element set. Each case is a script run in a fresh network namespace
// with lo up; badinput.record.ts records nft 1.0.6, badinput.test.ts runs skbpath.

/** The files, made the same way for the recording and the test. */
export function badinputFiles(): Record<string, string> {
  const rules: string[] = [];
  for (let i = 0; i < 10000; i++)
    rules.push(`\t\tip saddr 10.${i >> 16}.${(i >> 8) & 255}.${i & 255} tcp dport ${i & 65535} counter accept\n`);
  const elems: string[] = [];
  for (let i = 0; i < 100000; i++) elems.push(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
  return {
    'truncated.nft': 'table inet t {\n\tchain c {\n\t\ttype filter hook input priority 0;\n\t\ttcp dport 22 acc',
    'keyword.nft': 'table inet t {\n\tchain c {\n\t\ttype filter hook input priority 0;\n\t\tip saddr 1.2.3.4 acccept\n\t}\n}\n',
    'toplevel.nft': 'tabel inet t {\n}\n',
    'unclosed.nft': `table ip t {\n\tchain c {\n\t\tip saddr ${'{ '.repeat(20000)}10.0.0.1\n\t}\n}\n`,
    'chains.nft': `table ip t {\n${'\tchain c {\n'.repeat(50)}}\n`,
    'rules10k.nft': `table ip t {\n\tchain c {\n\t\ttype filter hook input priority 0; policy accept;\n${rules.join('')}\t}\n}\n`,
    'set100k.nft': `table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\telements = { ${elems.join(', ')} }\n\t}\n}\n`,
  };
}

export const BADINPUT_CASES: { name: string; script: string }[] = [
  { name: 'truncated', script: 'nft -f truncated.nft; echo "rc=$?"\n' },
  { name: 'mistyped keyword', script: 'nft -f keyword.nft; echo "rc=$?"\nnft -c -f keyword.nft; echo "rc=$?"\n' },
  { name: 'unknown top-level keyword', script: 'nft -f toplevel.nft; echo "rc=$?"\n' },
  { name: 'nesting past the parser stack', script: 'nft -f unclosed.nft; echo "rc=$?"\n' },
  { name: 'chains in chains', script: 'nft -f chains.nft; echo "rc=$?"\nnft list ruleset; echo "rc=$?"\n' },
  {
    name: '10,000 rules',
    script: 'nft -f rules10k.nft; echo "rc=$?"\nnft list ruleset | wc -l\nnft -a list ruleset | tail -3\n',
  },
  {
    name: '100,000 elements',
    script: 'nft -f set100k.nft; echo "rc=$?"\nnft list ruleset | wc -l\nnft list ruleset | head -6\nnft list ruleset | tail -3\n',
  },
];
