/**
 * Whole-file check of a ledger against its signed head: what is wrong, line by line, and whether the
 * only thing wrong is a crash artifact that is safe to cut away.
 *
 * One append writes one line, fsyncs, then signs the head, all under the lock. So after a crash at
 * most ONE line (complete or torn) can sit beyond the signed head, and it was never acknowledged:
 * append() had not resolved. That single line is a repair. Anything more is tampering: two or more
 * unsigned lines, a missing head with entries, or a head that does not match the file.
 */
import type { LedgerLine } from './ledger-types';
import type { HeadRead } from './signed-head';
import { scanLines, short, type Scan } from './ledger-line';

export interface Repair {
  /** Cut the file back to this many bytes. */
  truncateTo: number;
  description: string;
}

export interface Inspection<E> {
  /** Committed lines (those the signed head covers), in order. Only meaningful when problems is empty. */
  committed: LedgerLine<E>[];
  /** Complete lines in the file (before any repair). */
  lineCount: number;
  problems: string[];
  repair: Repair | null;
}

export function inspectLedger<E>(bytes: Buffer, head: HeadRead, ledgerName: string): Inspection<E> {
  const scan = scanLines(bytes);
  const n = scan.lines.length;
  const lineProblems = scan.lines.flatMap((l) => l.problems);
  const lines = scan.lines.map((l) => l.line as LedgerLine<E> | null);

  if (head.status === 'invalid') {
    return {
      committed: [],
      lineCount: n,
      problems: [...head.problems, ...lineProblems, ...tornProblem(scan)],
      repair: null,
    };
  }
  const signed = head.status === 'ok' ? head.head : null;
  const count = signed?.count ?? 0;

  const repair = crashArtifact(scan, count, signed?.hash, ledgerName);
  if (repair) {
    return { committed: lines.slice(0, count) as LedgerLine<E>[], lineCount: n, problems: [], repair };
  }

  const problems = [...lineProblems];
  if (!signed) {
    if (n > 0) {
      problems.push(
        `head file is missing: the ${n} entries in the ledger are not covered by a signature ` +
          '(the head was deleted, or the ledger was copied without it).',
      );
    }
  } else if (n < count) {
    problems.push(
      `the signed head covers ${count} entries but the file has only ${n}: ` +
        `${count - n} entr${count - n === 1 ? 'y was' : 'ies were'} removed from the end (truncated), or the head is ahead of the file.`,
    );
  } else if (count > 0 && lines[count - 1]?.hash !== signed.hash) {
    const at = lines.findIndex((l) => l?.hash === signed.hash);
    problems.push(
      at >= 0
        ? `line ${count}: hash does not match the signed head, whose hash is at line ${at + 1}: entries were inserted or reordered.`
        : `line ${count}: hash ${short(lines[count - 1]?.hash ?? '')} does not match the signed head hash ${short(signed.hash)}, ` +
            'which is nowhere in the file: entries were edited, removed or replaced.',
    );
  }
  if (signed && n > count) {
    problems.push(
      `line${n - count > 1 ? `s ${count + 1}–${n} are` : ` ${n} is`} beyond the signed head (${count} entries): ` +
        'appended without the ledger key, or left by a crash together with other damage.',
    );
  }
  problems.push(...tornProblem(scan));
  return { committed: problems.length ? [] : (lines as LedgerLine<E>[]), lineCount: n, problems, repair: null };
}

function crashArtifact(scan: Scan, count: number, headHash: string | undefined, ledgerName: string): Repair | null {
  const n = scan.lines.length;
  const extra = n - count + (scan.tornBytes > 0 ? 1 : 0);
  if (n < count || extra !== 1) return null;
  if (scan.lines.some((l) => l.problems.length > 0)) return null;
  if (count > 0 && scan.lines[count - 1].line?.hash !== headHash) return null;
  const truncateTo = count > 0 ? scan.lines[count - 1].end : 0;
  const what =
    n > count
      ? `complete but unsigned line ${n} (the process stopped after writing it and before signing the head)`
      : `torn line ${n + 1} (${scan.tornBytes} bytes without a newline: the process stopped mid-write)`;
  return {
    truncateTo,
    description: `${ledgerName}: removed ${what}; it was never committed, append() had not returned.`,
  };
}

function tornProblem(scan: Scan): string[] {
  if (scan.tornBytes === 0) return [];
  return [
    `line ${scan.lines.length + 1}: incomplete last line (${scan.tornBytes} bytes without a newline): ` +
      'a write was interrupted or the file was cut.',
  ];
}
