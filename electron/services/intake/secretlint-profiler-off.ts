/**
 * secretlint 11 times every rule of every lint with `performance.mark` and keeps each mark in an array
 * it searches linearly and never empties (@secretlint/profiler; fixed only in 13.x, which needs
 * Node 22). A long intake therefore slowed down with every file: 200 files took 2.5 s, 1,000 took 56 s.
 * We never read those timings, so the shared profiler instance that @secretlint/core imports gets a
 * performance object that records nothing. Imported for its effect by secret-scan.ts.
 */
import { secretLintProfiler } from '@secretlint/profiler';

const recordsNothing = { mark: () => undefined, measure: () => undefined };
(secretLintProfiler as unknown as { perf: typeof recordsNothing }).perf = recordsNothing;
