/**
 * `npm run bench:load`: 50 simulated labelers claim and submit tasks over HTTP against `npm start` on
 * loopback (a fresh data directory) for a 5 s warm-up and then the 60 s that are measured; afterwards every
 * label acknowledged in either is checked to be in the database exactly once. Each labeler sends one request
 * per label, batching the submission with the claim of its next task the way the browser's tRPC batch link does. Prints throughput, p50/p99 latencies, errors, and
 * CPU time per label of the server and of this load generator (they share the machine).
 *   --labelers N  --seconds S (measured)  --kill-at S (SIGKILL the server S seconds after the start, restart it, keep going)
 *   --rate R  offered load: the labelers together aim for R labels/s on a fixed schedule (latency then counts
 *             from when each label was due); without it they label as fast as the server answers.
 *   --keep      keep the data directory (to inspect the database afterwards).
 *   --latencies FILE  write every label's due time and latency there (JSON), to see when slow answers came.
 *   --warmup S  seconds of labeling before the measured window (default 5; 0 for none). A server just
 *             started runs its first second or two on code V8 has not optimised yet, while 50 first claims
 *             and rollout downloads arrive together; the warm-up's own figures are printed apart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BatchClient, Http, percentile, processCpuMs, runLabelers, signInAll, startServer, verifyLabels, type ServerHandle } from './load-lib';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    labelers: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '60' },
    'kill-at': { type: 'string' },
    port: { type: 'string', default: '3311' },
    states: { type: 'string', default: '100000' },
    rate: { type: 'string' },
    warmup: { type: 'string', default: '5' },
    keep: { type: 'boolean', default: false },
    latencies: { type: 'string' },
  },
});
const N = Number(values.labelers);
const seconds = Number(values.seconds);
const port = Number(values.port);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dagger-load-'));
const admin = { email: 'admin@load.local', password: 'load-admin-password' };
// Simulated labelers that never pause submit ~35 labels/s each, about the per-labeler limit (40/s): the
// limit is raised here, as the sign-in limit is, so that the run measures the server, not the policy.
const env = { DATA_DIR: dataDir, ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password, SIGNIN_RATE_LIMIT: '100000', LABEL_RATE_LIMIT: '1000', JOB_LEASE_MS: '5000' };

// Stopped from outside (Ctrl-C, `timeout`): exit, which takes the server down with this process.
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

let server: ServerHandle = await startServer(root, env, port);
console.log(`[load] server up on ${server.base}, data in ${dataDir}`);
const api = new Http(server.base);
await api.signIn(admin.email, admin.password);

// A CartPole project whose round 1 queues many states with 2 labels each.
const episodes = Math.ceil(Number(values.states) / 500);
const { id: projectId } = await api.call<{ id: number }>('project.create', {
  name: 'load test',
  envId: 'CartPole-v1',
  config: { selection: { strategy: 'all' }, rolloutEpisodes: episodes, aggregation: { labelsPerState: 2, maxLabelsPerState: 2 }, goldRate: 0, policy: { kind: 'categorical', hidden: [32], epochs: 20 }, evaluation: { episodes: 2, seed: 1 } },
});
await api.call('round.demonstrate', { projectId, episodes: 2, thenTrain: true });
const waitFor = async (what: string, ok: (p: { rounds: { index: number; phase: string; queries: number }[] }) => boolean) => {
  for (;;) {
    const p = await api.call<{ rounds: { index: number; phase: string; queries: number }[] }>('project.get', { projectId }, 'query');
    if (ok(p)) return p;
    if (p.rounds.some((r) => r.phase === 'failed')) throw new Error(`round failed while waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
};
await waitFor('round 0', (p) => p.rounds[0]?.phase === 'done');
await api.call('round.start', { projectId });
const ready = await waitFor('round 1 labeling', (p) => p.rounds[1]?.phase === 'labeling');
console.log(`[load] round 1 has ${ready.rounds[1]!.queries} states to label (2 labels each)`);

const labelers: { email: string; password: string }[] = [];
for (let i = 0; i < N; i++) {
  const email = `labeler${i}@load.local`;
  await api.call('user.create', { email, name: `L${i}`, password: 'labeler-password', role: 'labeler' });
  await api.call('project.addMember', { projectId, email, role: 'labeler' });
  labelers.push({ email, password: 'labeler-password' });
}

const sessions = await signInAll(server.base, labelers);
const warmup = Number(values.warmup);
const t0 = Date.now();
const steadyFrom = performance.now() + warmup * 1000;
// CPU per label over the measured window, server and load generator apart: on a shared 2-core machine this
// is steadier than wall time. Read when the warm-up ends (and at the end).
let serverCpu0: number | null = null;
let clientCpu0 = process.cpuUsage();
const measuring = new Promise<void>((resolve) =>
  setTimeout(() => {
    serverCpu0 = processCpuMs(server.child.pid!);
    clientCpu0 = process.cpuUsage();
    resolve();
  }, warmup * 1000),
);
const killAt = values['kill-at'] ? Number(values['kill-at']) * 1000 : null;
let killed = false;
const killer = killAt
  ? (async () => {
      await new Promise((r) => setTimeout(r, killAt));
      console.log('[load] SIGKILL the server');
      await server.stop('SIGKILL');
      killed = true;
      server = await startServer(root, env, port);
      console.log(`[load] server restarted after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    })()
  : Promise.resolve();
const rate = values.rate ? Number(values.rate) : null;
const stats = await runLabelers(server.base, sessions, { until: () => Date.now() - t0 > (warmup + seconds) * 1000, action: () => 0, ratePerLabeler: rate ? rate / N : undefined });
await killer;
await measuring;
const elapsed = (Date.now() - t0) / 1000 - warmup;
const serverCpu1 = killed ? null : processCpuMs(server.child.pid!);
const clientCpu = process.cpuUsage(clientCpu0);
await server.stop('SIGTERM');
const check = verifyLabels(path.join(dataDir, 'dagger-studio.sqlite'), stats.acks);
const summary = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: +percentile(sorted, 50).toFixed(2), p99: +percentile(sorted, 99).toFixed(2), requests: sorted.length };
};
const latencies = (inWindow: (at: number) => boolean) => summary(stats.submitMs.filter((_, i) => inWindow(stats.submitAt[i]!)));
const measured = (at: number) => at >= steadyFrom;
const labels = stats.acks.filter((a) => measured(a.at)).length;
const result = {
  labelers: N,
  seconds: Math.round(elapsed * 10) / 10,
  offered_labels_per_second: rate ?? 'as fast as answered',
  // The measured window (after the warm-up):
  labels_acknowledged: labels,
  labels_per_second: Math.round((labels / elapsed) * 10) / 10,
  // One request submits a label and claims the next task (batched, as the browser's tRPC link sends them).
  submit_ms: latencies(measured),
  ...(warmup > 0 ? { warmup: { seconds: warmup, labels_acknowledged: stats.acks.length - labels, submit_ms: latencies((at) => !measured(at)) } } : {}),
  // Claims on their own: each labeler's first task, and retries after the queue was empty.
  claim_only_ms: summary(stats.nextMs),
  // Each labeler fetches the replay of a rollout once (the browser caches it), when its first state comes.
  rollout_fetch_ms: { p50: +percentile([...stats.rolloutMs].sort((a, b) => a - b), 50).toFixed(2), requests: stats.rolloutMs.length },
  errors: stats.errors.length,
  server_cpu_ms_per_label: serverCpu0 !== null && serverCpu1 !== null ? +((serverCpu1 - serverCpu0) / labels).toFixed(3) : null,
  client_cpu_ms_per_label: +((clientCpu.user + clientCpu.system) / 1000 / labels).toFixed(3),
  // Over the whole run, rollout downloads included.
  response_bytes_per_label: Math.round(BatchClient.responseBytes / Math.max(1, stats.acks.length)),
  cpus: os.cpus().length,
  loadavg_1m: +os.loadavg()[0]!.toFixed(2),
  connection_errors_while_down: stats.connectionErrors,
  killed,
  ...check,
};
console.log(JSON.stringify(result, null, 2));
if (stats.errors.length) console.log('first errors:', stats.errors.slice(0, 5));
if (values.latencies) {
  // Each label's due time (ms since the run started) and latency, to see when slow answers came; `startedAt`
  // (epoch ms) lines them up with timestamps in the server's log.
  const start = stats.submitAt.reduce((a, b) => Math.min(a, b), Infinity);
  const startedAt = Math.round(Date.now() - (performance.now() - start));
  fs.writeFileSync(values.latencies, JSON.stringify({ startedAt, dueMs: stats.submitAt.map((t) => +(t - start).toFixed(2)), latencyMs: stats.submitMs.map((ms) => +ms.toFixed(2)) }));
}
if (values.keep) console.log(`[load] data kept in ${dataDir}`);
else fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(check.missing || check.duplicated || check.wrongId || stats.errors.length ? 1 : 0);
