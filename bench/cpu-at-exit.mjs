// Preloaded by bench/startup.ts (`node --import`): prints the process's CPU time (user + system, every thread, DuckDB's
// included) on stderr at exit, so the CLI's CPU cost can be measured from outside without changing the CLI.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const c = process.cpuUsage();
  writeSync(2, `\ncpu-ms ${((c.user + c.system) / 1000).toFixed(1)}\n`);
});
