// Preload for the intake benchmark: on exit, write this process's peak RSS (KiB) where the bench asked.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.TOKENOPS_BENCH_RSS_FILE)
    writeFileSync(process.env.TOKENOPS_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});
