/**
 * `npm test`: type-check, unit + integration tests (vitest), then end-to-end tests (Playwright on Debian's
 * Chromium against `npm start` on a fresh data directory). Ends with one line: `N passed, N failed`.
 *   --unit-only   skip the browser tests      --e2e-only   skip type-check and vitest
 * Everything the tests write to the temporary directory (data directories, exports, browser profiles, Python's
 * tempfile) goes below one scratch directory (TMPDIR for every child), removed when all passed and kept, with
 * its path printed, when something failed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const args = new Set(process.argv.slice(2));
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dagger-studio-test-'));
const env = { ...process.env, TMPDIR: scratch, NEXT_TELEMETRY_DISABLED: '1', ONNXRUNTIME_NODE_INSTALL: 'skip' };
const artifacts = path.join(root, 'e2e-artifacts');
fs.mkdirSync(artifacts, { recursive: true });

let passed = 0;
let failed = 0;
let skipped = 0;

function run(cmd: string, argv: string[], extraEnv: Record<string, string> = {}): number {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit', env: { ...env, ...extraEnv } });
  return r.status ?? 1;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Chromium for Playwright: CHROMIUM_PATH, Debian's /usr/bin/chromium, or Playwright's own cache. */
function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const cache = path.join(os.homedir(), '.cache', 'ms-playwright');
  if (fs.existsSync(cache)) {
    for (const d of fs.readdirSync(cache).filter((d) => d.startsWith('chromium')).sort().reverse()) {
      candidates.push(path.join(cache, d, 'chrome-linux', 'chrome'), path.join(cache, d, 'chrome-linux64', 'chrome'));
    }
  }
  return candidates.find((c): c is string => !!c && fs.existsSync(c)) ?? null;
}

function ensureChromium(): string | null {
  const found = findChromium();
  if (found) return found;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('which', ['apt-get']).status === 0;
  if (isRoot && hasApt) {
    console.log('[test] Chromium not found: installing Debian chromium with apt-get…');
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', 'chromium'], { DEBIAN_FRONTEND: 'noninteractive' });
    return findChromium();
  }
  console.error('[test] Chromium not found: install it (sudo apt-get install chromium) or set CHROMIUM_PATH=/path/to/chrome');
  return null;
}

if (!args.has('--e2e-only')) {
  console.log('\n[test] type-check (tsc --noEmit)');
  if (run(bin('tsc'), ['--noEmit', '-p', '.']) === 0) passed++;
  else {
    failed++;
    console.error('[test] type-check failed');
  }

  console.log('\n[test] unit and integration tests (vitest)');
  const report = path.join(artifacts, 'vitest.json');
  fs.rmSync(report, { force: true });
  const code = run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  const r = readJson(report) as { numPassedTests?: number; numFailedTests?: number; numPendingTests?: number; numTodoTests?: number } | null;
  if (r) {
    passed += r.numPassedTests ?? 0;
    failed += r.numFailedTests ?? 0;
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  }
  if (code !== 0 && (!r || !r.numFailedTests)) failed++; // a crash or a failing suite without a failing test
}

if (!args.has('--unit-only')) {
  console.log('\n[test] end-to-end tests (Playwright, Chromium)');
  const chromium = ensureChromium();
  if (!chromium) failed++;
  else {
    console.log(`[test] using ${chromium}`);
    let buildOk = true;
    if (process.env.SKIP_BUILD !== '1') {
      console.log('[test] next build');
      buildOk = run(process.execPath, [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build']) === 0;
    }
    if (!buildOk) failed++;
    else {
      const report = path.join(artifacts, 'report.json');
      fs.rmSync(report, { force: true });
      const code = run(bin('playwright'), ['test'], { CHROMIUM_PATH: chromium, SKIP_BUILD: '1' });
      const r = readJson(report) as { stats?: { expected: number; unexpected: number; flaky: number; skipped: number } } | null;
      if (r?.stats) {
        passed += r.stats.expected + r.stats.flaky;
        failed += r.stats.unexpected;
        skipped += r.stats.skipped;
      }
      if (code !== 0 && (!r?.stats || !r.stats.unexpected)) failed++;
    }
  }
}

if (failed > 0) console.log(`\n[test] temporary files of this run kept in ${scratch}`);
else fs.rmSync(scratch, { recursive: true, force: true });
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
