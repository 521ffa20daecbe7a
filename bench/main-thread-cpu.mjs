// ms of CPU the main thread has run (Linux /proc): schedstat counts nanoseconds; stat (utime +
// stime) counts 10 ms ticks, 3% of a corpus lint, which coarsens every ratio. stat where schedstat
// is missing. Shared by bench/lint-cpu.mjs and bench/lint-warm.mjs.
import { readFileSync } from 'node:fs';

export function mainThreadCpuMs() {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    const f = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  }
}
