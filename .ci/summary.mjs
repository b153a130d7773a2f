// Sums every suite's results into the one closing line CI reads: "N passed, N failed".
// A suite whose result file is missing (it never ran, e.g. type-checking failed first) counts as one failure.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const dir of process.argv.slice(2)) {
  const vitest = join(dir, 'vitest.json');
  const playwright = join(dir, 'playwright.json');
  const plain = join(dir, 'result.json');
  if (existsSync(plain)) {
    const r = JSON.parse(readFileSync(plain, 'utf8'));
    passed += r.passed;
    failed += r.failed;
    continue;
  }
  if (existsSync(vitest)) {
    const r = JSON.parse(readFileSync(vitest, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + (r.numTodoTests ?? 0);
    if (!r.success && r.numFailedTests === 0) failed += 1; // a file that failed to load
  } else {
    console.info(`${vitest}: missing (suite did not run)`);
    failed += 1;
  }
  if (existsSync(playwright)) {
    const s = JSON.parse(readFileSync(playwright, 'utf8')).stats;
    passed += s.expected + (s.flaky ?? 0);
    failed += s.unexpected;
    skipped += s.skipped;
  } else {
    console.info(`${playwright}: missing (suite did not run)`);
    failed += 1;
  }
}
console.info(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
