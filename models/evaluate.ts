/**
 * Evaluation of a loaded policy in an environment (used by `cli policy eval` and the acceptance tests).
 *
 * Public API
 *   evaluatePolicy(env, policy, { episodes, seed, mode }) → Promise<EvalSummary>
 *     Episode e starts from env.reset(seed + e); all episodes step together, so the policy runs once per
 *     step on a batch. Returns {return_mean, return_std, success_rate, length_mean, episodes, mode}.
 *
 * Only a type is imported from envs/: the environment object is passed in.
 */
import type { Action, Env } from '../envs/types';
import type { LoadedPolicy } from './infer';
import { deriveSeed, mulberry32 } from './prng';

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
