// nft -e/--echo (print each added object back with its handle) is not built:
// it must say so and change nothing, never accept the option and print nothing.
import { expect, it } from 'vitest';
import { nftWorld } from './world.ts';

it('nft -e says it is not simulated and adds nothing', () => {
  const w = nftWorld();
  for (const opt of ['-e', '--echo']) {
    const got = w.run(`nft ${opt} add table inet t; echo "status $?"; nft list tables`);
    expect(got.output).toBe('skbpath: nft -e/--echo is not simulated; see README "Supported commands"\nstatus 1\n');
  }
});

it('nft -j with JSON input says it is not simulated; -j with nft syntax still lists', () => {
  const w = nftWorld();
  w.vfs.writeFile('r.json', '{"nftables": [{"add": {"table": {"family": "inet", "name": "t"}}}]}\n', false);
  expect(w.run('nft -j -f r.json; echo "status $?"').output).toBe(
    'skbpath: nft -j with JSON input is not simulated; see README "Supported commands"\nstatus 1\n',
  );
  expect(w.run('nft add table inet t; nft -j list tables').output).toContain('"table": {"family": "inet", "name": "t"');
});
