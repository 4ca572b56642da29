/**
 * `cli policy`: evaluate, inspect or import policy files.
 *
 *   policy eval --env ID --model FILE --episodes N --seed S [--mode deterministic|sample]
 *       Runs N episodes (episode e starts from env.reset(S + e)), all stepping together so the policy runs
 *       once per step on a batch; prints {"return_mean", "return_std", "success_rate", "length_mean", …}.
 *   policy info --model FILE
 *   policy import --env ID --file FILE.onnx --out DIR
 *       Validates an externally trained ONNX policy against the env's spaces, stores it as DIR/<sha256>.onnx.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { getEnv } from '../../envs/registry';
import type { Action, Env } from '../../envs/types';
import { importPolicy } from '../../models/import';
import { type LoadedPolicy, loadPolicy } from '../../models/infer';
import { deriveSeed, mulberry32 } from '../../models/prng';
import { PolicyRegistry } from '../../models/registry';

const HELP = `Usage: npm run cli -- policy <eval|info|import> [options]

  policy eval --env ID --model FILE --episodes N --seed S [--mode deterministic|sample]
      Episode e starts from env.reset(S + e); prints
      {"return_mean", "return_std", "success_rate", "length_mean", "episodes", "mode"}.
  policy info --model FILE
      Prints the policy's metadata (class, spaces, hyper-parameters, dataset hash, …).
  policy import --env ID --file FILE.onnx --out DIR
      Checks an externally trained ONNX model (input [batch, obsDim] float32; output [batch, n] logits or
      [batch, actDim] actions; standard ops only) and stores it as DIR/<sha256>.onnx.`;

export interface EvalSummary {
  return_mean: number;
  return_std: number;
  success_rate: number;
  length_mean: number;
  episodes: number;
  mode: 'deterministic' | 'sample';
}

/** Runs `episodes` episodes of `policy` in `env`, batched across episodes. */
export async function evaluatePolicy(env: Env, policy: LoadedPolicy, opts: { episodes: number; seed: number; mode?: 'deterministic' | 'sample' }): Promise<EvalSummary> {
  const mode = opts.mode ?? 'deterministic';
  const rng = mulberry32(deriveSeed(opts.seed, 0xe7a1));
  const obsDim = env.observationSpace.size;
  if (policy.obsDim !== obsDim) throw new Error(`the policy expects ${policy.obsDim} observation values, ${env.id} has ${obsDim}`);
  const n = opts.episodes;
  const states: unknown[] = Array.from({ length: n }, (_, e) => env.reset(opts.seed + e));
  const returns = new Array<number>(n).fill(0);
  const lengths = new Array<number>(n).fill(0);
  const terminated = new Array<boolean>(n).fill(false);
  let active = Array.from({ length: n }, (_, e) => e);
  const batch = new Float32Array(n * obsDim);
  for (let t = 0; active.length > 0 && t < env.horizon; t++) {
    active.forEach((e, k) => batch.set(env.observe(states[e]), k * obsDim));
    const { actions } = await policy.act(batch.subarray(0, active.length * obsDim), active.length, { mode, rng });
    const still: number[] = [];
    active.forEach((e, k) => {
      const a: Action = env.actionSpace.kind === 'discrete' ? actions[k]! : Array.from(actions.subarray(k * env.actionSpace.size, (k + 1) * env.actionSpace.size));
      const r = env.step(states[e], a);
      states[e] = r.state;
      returns[e]! += r.reward;
      lengths[e] = t + 1;
      if (r.terminated) terminated[e] = true;
      else if (t + 1 < env.horizon) still.push(e);
    });
    active = still;
  }
  const mean = returns.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  const successes = returns.filter((ret, e) => env.success({ return: ret, length: lengths[e]!, terminated: terminated[e]!, truncated: !terminated[e] })).length;
  return { return_mean: mean, return_std: std, success_rate: successes / n, length_mean: lengths.reduce((a, b) => a + b, 0) / n, episodes: n, mode };
}

const int = (name: string, v: string | undefined, dflt?: number): number => {
  if (v === undefined) {
    if (dflt === undefined) throw new Error(`--${name} is required (see --help)`);
    return dflt;
  }
  const x = Number(v);
  if (!Number.isInteger(x)) throw new Error(`--${name}: expected an integer, got ${JSON.stringify(v)}`);
  return x;
};

export async function run(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help') return void console.log(HELP);
  const { values: v } = parseArgs({
    args: rest,
    options: {
      env: { type: 'string' },
      model: { type: 'string' },
      file: { type: 'string' },
      out: { type: 'string' },
      episodes: { type: 'string' },
      seed: { type: 'string' },
      mode: { type: 'string' },
      threads: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (v.help) return void console.log(HELP);

  if (sub === 'eval') {
    if (!v.env) throw new Error('--env is required (see --help)');
    if (!v.model) throw new Error('--model is required (see --help)');
    const episodes = int('episodes', v.episodes, 10);
    if (episodes < 1) throw new Error('--episodes must be at least 1');
    const mode = v.mode ?? 'deterministic';
    if (mode !== 'deterministic' && mode !== 'sample') throw new Error(`--mode: expected deterministic or sample, got ${JSON.stringify(mode)}`);
    const env = getEnv(v.env);
    const policy = await loadPolicy(v.model, { session: { threads: int('threads', v.threads, 1) } });
    try {
      if (policy.metadata?.envId && policy.metadata.envId !== env.id) console.error(`warning: the policy was trained on ${policy.metadata.envId}, evaluating on ${env.id}`);
      console.log(JSON.stringify(await evaluatePolicy(env, policy, { episodes, seed: int('seed', v.seed, 0), mode })));
    } finally {
      await policy.release();
    }
    return;
  }
  if (sub === 'info') {
    if (!v.model) throw new Error('--model is required (see --help)');
    const policy = await loadPolicy(v.model);
    console.log(JSON.stringify({ sha256: policy.sha256, kind: policy.kind, obsDim: policy.obsDim, ensemble: policy.ensemble, external: policy.external, actionSpace: policy.actionSpace, metadata: policy.metadata }, null, 2));
    await policy.release();
    return;
  }
  if (sub === 'import') {
    if (!v.env) throw new Error('--env is required (see --help)');
    if (!v.file) throw new Error('--file is required (see --help)');
    if (!v.out) throw new Error('--out is required (see --help)');
    const env = getEnv(v.env);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(v.file));
    } catch (e) {
      throw new Error(`--file: cannot read ${v.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const { bytes: imported, report } = await importPolicy(bytes, { observationSpace: env.observationSpace, actionSpace: env.actionSpace }, { envId: env.id, createdBy: 'cli policy import' });
    const stored = await new PolicyRegistry(v.out).put(imported);
    console.log(JSON.stringify({ model: stored.path, sha256: stored.sha256, report }));
    return;
  }
  throw new Error(`unknown policy subcommand ${JSON.stringify(sub)}: expected eval, info or import (see --help)`);
}
