/**
 * `npm run bench:env`: environment steps per second of the vectorised runner without a policy (64 copies,
 * pre-drawn random actions, observations written every step), per environment, on this one thread.
 */
import { mulberry32 } from '../envs/random';
import { ENV_IDS, getEnv } from '../envs/registry';
import { FastVectorEnv, VectorEnv } from '../envs/vector';

const N = 64;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);

function randomActions(id: string, count: number): unknown[] {
  const env = getEnv(id);
  const r = mulberry32(1);
  const s = env.actionSpace;
  return Array.from({ length: count }, () => (s.kind === 'discrete' ? Math.floor(r() * s.n) : s.low.map((lo, d) => lo + r() * (s.high[d]! - lo))));
}

function measure(step: (t: number) => void): number {
  for (let t = 0; t < 200; t++) step(t); // warm-up
  let steps = 0;
  const t0 = performance.now();
  let t = 0;
  while (performance.now() - t0 < SECONDS * 1000) {
    for (let k = 0; k < 100; k++) step(t++);
    steps += 100 * N;
  }
  return steps / ((performance.now() - t0) / 1000);
}

console.log(`| environment | runner | steps/s (${N} copies, 1 thread) |`);
console.log('|---|---|---|');
for (const id of ENV_IDS) {
  const env = getEnv(id);
  const pool = randomActions(id, 4096 * N);
  const rows: [string, number][] = [];
  if (env.fast) {
    const fast = new FastVectorEnv(env, N, 1);
    const acts = Int32Array.from(pool as number[]);
    rows.push(['fast (Float64Array kernel)', measure((t) => fast.step(acts.subarray(((t * N) % (acts.length - N)), ((t * N) % (acts.length - N)) + N)))]);
  }
  const v = new VectorEnv(env, N, 1);
  rows.push(['generic (JSON states)', measure((t) => v.step(pool.slice((t * N) % (pool.length - N), ((t * N) % (pool.length - N)) + N) as number[]))]);
  for (const [runner, sps] of rows) console.log(`| ${id} | ${runner} | ${Math.round(sps).toLocaleString('en-US')} |`);
}
