import type { Reporter, TestModule } from 'vitest/node';

/** CI reads one plain closing line, `N passed, N failed`; vitest's own summary is not recognised. */
export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown> = []): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      const failedBefore = failed;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      // A file that fails outside its tests (it does not load, or a beforeAll throws and its tests are
      // skipped) counts once, so the line never says 0 failed for a red run.
      if (mod.state() === 'failed' && failed === failedBefore) failed++;
    }
    // An error thrown outside any test (e.g. from a library's timer) fails the run too; count it so the line never says 0 failed.
    failed += unhandledErrors.length;
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
