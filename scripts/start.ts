/**
 * `npm start`: build the web app if needed, migrate the database, create the first admin, seed the demo
 * project, then serve the app and run the job worker in a worker_thread — all in one process, so stopping
 * this process stops everything.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { createTrpcNodeHandler, TRPC_BASE_PATH } from '../server/api/node-handler';
import { ConfigError, config } from '../server/config';
import { runtime } from '../server/runtime';
import { ensureAdmin } from '../server/services/ensure-admin';
import { seedDemo } from '../server/services/seed-demo';
import { startTsWorker } from '../server/ts-worker';
import { startCheckpointer } from '../server/checkpointer';
import { startWriter } from '../server/writer';
import { dbFile } from '../db/client';

const root = path.resolve(import.meta.dirname, '..');
process.env.NEXT_TELEMETRY_DISABLED = '1';
// A custom Next server must say it is production itself (`next start` would).
(process.env as Record<string, string>).NODE_ENV ??= 'production';

function fail(msg: string): never {
  console.error(msg);
  process.exit(1);
}

let cfg;
try {
  cfg = config();
} catch (e) {
  if (e instanceof ConfigError) fail(e.message);
  throw e;
}

/** Rebuild when there is no build or a source file is newer than it. */
function needsBuild(): boolean {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  if (!fs.existsSync(buildId)) return true;
  const builtAt = fs.statSync(buildId).mtimeMs;
  const dirs = ['app', 'server', 'db', 'trpc', 'envs', 'models'];
  const files = ['next.config.js', 'package.json', 'postcss.config.mjs', 'tsconfig.json'];
  const newer = (p: string): boolean => {
    const st = fs.statSync(p);
    if (st.isDirectory()) return fs.readdirSync(p).some((f) => newer(path.join(p, f)));
    return st.mtimeMs > builtAt;
  };
  return [...dirs, ...files].map((d) => path.join(root, d)).some((p) => fs.existsSync(p) && newer(p));
}

if (process.env.SKIP_BUILD !== '1' && needsBuild()) {
  console.log('[start] building the web app (next build)…');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.status !== 0) fail('[start] next build failed');
}

const rt = runtime();
console.log(`[start] database ${path.join(cfg.dataDir, 'dagger-studio.sqlite')} migrated`);
const admin = await ensureAdmin(rt, { email: cfg.ADMIN_EMAIL, password: cfg.ADMIN_PASSWORD });
const demo = await seedDemo(rt, { log: (m) => console.log(`[seed] ${m}`) });

// WAL checkpoints on their own thread, so the thread answering labelers never stops to copy pages.
const checkpointer = startCheckpointer(dbFile(cfg.dataDir), rt.db.$client);
// Labelers' claims and labels are committed on a thread of their own; this thread answers HTTP.
const writer = startWriter(rt);
let worker: Worker | null = null;
if (cfg.WORKER === 'thread') {
  worker = startTsWorker(new URL('../server/jobs/worker-thread.ts', import.meta.url));
  worker.on('error', (e) => console.error('[worker] crashed:', e));
}

const { default: next } = await import('next');
const app = next({ dev: false, dir: root, hostname: cfg.HOST, port: cfg.PORT });
await app.prepare();
const handle = app.getRequestHandler();
// The labeling API answers straight from Node; pages, route handlers and assets go through Next.
const trpc = createTrpcNodeHandler(rt);
const server = http.createServer((req, res) => {
  if (req.url?.startsWith(TRPC_BASE_PATH)) trpc(req, res);
  else void handle(req, res);
});
server.on('error', (e: NodeJS.ErrnoException) =>
  fail(e.code === 'EADDRINUSE' ? `PORT: ${cfg.PORT} is already in use (set PORT to a free port)` : String(e)),
);
server.listen(cfg.PORT, cfg.HOST, () => {
  console.log(`\nDAgger Studio is running at ${cfg.baseUrl}`);
  if (admin.created && admin.password) {
    console.log(`Sign in as ${admin.email} with password ${admin.password}  (printed only on this first start)`);
  } else {
    console.log(`Sign in as ${admin.email}${admin.created ? ' with the password from ADMIN_PASSWORD' : ''}`);
  }
  if (demo) console.log(`Demo project: ${cfg.baseUrl}/projects/${demo.projectId}`);
});

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    server.close();
    worker?.postMessage('stop');
    checkpointer.postMessage('stop');
    void writer.stop();
    setTimeout(() => process.exit(0), 1500).unref();
  });
}
