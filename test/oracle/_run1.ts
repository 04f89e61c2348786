import { runOracle } from './run_oracle.ts';
const name = process.argv[2] as string;
const { result, dir } = runOracle(name);
console.log(result.report);
console.log(dir);
