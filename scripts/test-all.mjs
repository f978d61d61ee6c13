#!/usr/bin/env node
// `npm test`: every check the project has, in one run, ending with one plain summary
// line ("tests: N passed, N failed, N skipped") that CI and people can read at a glance.
// Order: the cheap static checks first, then unit tests, then the browser suites.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outputDir = path.join(root, '.test-output');
rmSync(outputDir, { recursive: true, force: true });
mkdirSync(outputDir, { recursive: true });

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** @type {{ name: string; passed: number; failed: number; skipped: number; note?: string }[]} */
const results = [];

function run(name, command, args, env = {}) {
  process.stdout.write(`\n=== ${name}: ${command} ${args.join(' ')}\n`);
  const started = Date.now();
  const child = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`=== ${name}: exit ${child.status ?? child.signal} in ${seconds} s\n`);
  return child.status === 0;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A step that is a single check (typecheck, lint, build): counts as one test. */
function check(name, command, args) {
  const ok = run(name, command, args);
  results.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 });
}

function vitest() {
  const report = path.join(outputDir, 'vitest.json');
  const ok = run('unit tests (vitest)', npx, ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  const json = readJson(report);
  if (json === undefined) {
    results.push({ name: 'unit tests (vitest)', passed: 0, failed: 1, skipped: 0, note: 'no report written' });
    return;
  }
  const failed = json.numFailedTests + (ok || json.numFailedTests > 0 ? 0 : 1);
  results.push({ name: 'unit tests (vitest)', passed: json.numPassedTests, failed, skipped: json.numPendingTests + json.numTodoTests });
}

function collectSkipReasons(suite, reasons) {
  for (const spec of suite.specs ?? []) {
    for (const test of spec.tests ?? []) {
      for (const annotation of test.annotations ?? []) {
        if (annotation.type === 'skip' && annotation.description) reasons.add(annotation.description);
      }
    }
  }
  for (const child of suite.suites ?? []) collectSkipReasons(child, reasons);
}

function playwright(name, config, reportName, env = {}) {
  const report = path.join(outputDir, reportName);
  const ok = run(name, npx, ['playwright', 'test', '-c', config, '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_FILE: report, ...env });
  const json = readJson(report);
  if (json === undefined) {
    results.push({ name, passed: 0, failed: 1, skipped: 0, note: 'no report written' });
    return;
  }
  const stats = json.stats ?? {};
  const failed = (stats.unexpected ?? 0) + (ok || (stats.unexpected ?? 0) > 0 ? 0 : 1);
  const reasons = new Set();
  for (const suite of json.suites ?? []) collectSkipReasons(suite, reasons);
  results.push({
    name,
    passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
    failed,
    skipped: stats.skipped ?? 0,
    note: reasons.size > 0 ? `skipped: ${[...reasons].join('; ')}` : undefined,
  });
}

check('typecheck', npm, ['run', '--silent', 'typecheck']);
check('lint', npm, ['run', '--silent', 'lint']);
check('build (renderer, dashboard, main, preload, hub)', npm, ['run', '--silent', 'build']);
vitest();
playwright('end-to-end, preview in Chromium', 'tests/e2e/playwright.config.ts', 'e2e.json', { KIOSK_SKIP_RENDERER_BUILD: '1' });
if (existsSync(path.join(root, 'tests/electron-e2e/playwright.config.ts'))) {
  playwright('end-to-end, real Electron', 'tests/electron-e2e/playwright.config.ts', 'electron-e2e.json');
}

process.stdout.write('\n=== Results\n');
for (const result of results) {
  process.stdout.write(`${result.name}: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped${result.note ? ` (${result.note})` : ''}\n`);
}
const total = results.reduce((sum, result) => ({ passed: sum.passed + result.passed, failed: sum.failed + result.failed, skipped: sum.skipped + result.skipped }), { passed: 0, failed: 0, skipped: 0 });
process.stdout.write(`\ntests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
process.exit(total.failed === 0 ? 0 : 1);
