import type { Progress } from '../../shared/progress';

/** A one-line progress bar on stderr, only when stderr is a terminal (scripts and agents get clean output). */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): { update(p: Progress): void; done(): void } {
  if (!stream.isTTY) return { update() {}, done() {} };
  let last = 0;
  let shown = false;
  return {
    update(p) {
      const t = Date.now();
      if (t - last < 80 && p.done < p.total) return;
      last = t;
      shown = true;
      const ratio = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
      const width = 28;
      const filled = Math.round(ratio * width);
      const amount = p.unit === 'bytes' ? `${mib(p.done)}/${mib(p.total)} MiB` : `${p.done}/${p.total} ${p.unit}`;
      const line = `${p.phase.padEnd(10)} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${amount}`;
      stream.write(`\r${line.slice(0, (stream.columns ?? 100) - 1)}\x1b[K`);
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}

function mib(n: number): string {
  return (n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0);
}
