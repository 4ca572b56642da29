/**
 * `npm run bench:env`: environment steps per second of the vectorised runner without a policy, per
 * environment, on this one thread: 64 copies, pre-drawn random actions (drawn before timing), observations
 * written every step, auto-reset included. Environments with a FastKernel are measured on both paths.
 *
 *   BENCH_SECONDS=2 npx tsx bench/env-steps.ts       (seconds of timing per row; default 2)
 *   BENCH_ENVS=CartPole-v1,LaneFollow-v0 …            (a subset)
 */
import os from 'node:os';
import { mulberry32 } from '../envs/random';
import { ENV_IDS, getEnv } from '../envs/registry';
import type { Action } from '../envs/types';
import { VectorEnv } from '../envs/vector';

const N = 64;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const IDS = process.env.BENCH_ENVS ? process.env.BENCH_ENVS.split(',') : ENV_IDS;
const BATCHES = 512; // distinct pre-drawn action batches, cycled

/** BATCHES batches of N random actions, drawn once. Discrete actions as Int32Array rows (no boxing). */
function randomActions(id: string): ArrayLike<Action>[] {
  const space = getEnv(id).actionSpace;
  const r = mulberry32(1);
  return Array.from({ length: BATCHES }, () => {
    if (space.kind === 'discrete') return Int32Array.from({ length: N }, () => Math.floor(r() * space.n));
    return Array.from({ length: N }, () => space.low.map((lo, d) => lo + r() * (space.high[d]! - lo)));
  });
}

function measure(v: VectorEnv, batches: ArrayLike<Action>[]): { stepsPerSec: number; episodes: number } {
  for (let t = 0; t < 50; t++) v.step(batches[t % BATCHES]!); // warm-up (JIT)
  const episodes0 = v.episodesFinished;
  let batchesRun = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < SECONDS * 1000) {
    for (let k = 0; k < 20; k++) v.step(batches[(batchesRun + k) % BATCHES]!);
    batchesRun += 20;
    elapsed = performance.now() - t0;
  }
  return { stepsPerSec: (batchesRun * N) / (elapsed / 1000), episodes: v.episodesFinished - episodes0 };
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

console.log(`Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, one thread; ${N} copies, random actions, ${SECONDS} s per row\n`);
console.log('| environment | runner | env steps/s | episodes finished |');
console.log('|---|---|---:|---:|');
for (const id of IDS) {
  const env = getEnv(id);
  const batches = randomActions(id);
  const runners: [string, VectorEnv][] = [];
  if (env.fast) runners.push(['fast kernel (Float64Array)', new VectorEnv(env, N, 1)]);
  runners.push(['generic (JSON states)', new VectorEnv(env, N, 1, { fast: false })]);
  for (const [name, v] of runners) {
    const r = measure(v, batches);
    console.log(`| ${id} | ${name} | ${fmt(r.stepsPerSec)} | ${fmt(r.episodes)} |`);
  }
}
