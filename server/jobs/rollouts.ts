/**
 * Rollouts of a policy in a built-in environment: N episodes step together so the policy runs once per
 * step on a batch of observations. With β > 0 and a scripted expert, the expert's action is executed with
 * probability β (the DAgger paper's mixture πᵢ = βᵢπ* + (1−βᵢ)π̂ᵢ); the learner's action is recorded
 * either way, because labelers see what the policy *would* have done.
 */
import type { Action, Env } from '@/envs/types';

export interface RolloutStep {
  t: number;
  state: unknown;
  obs: number[];
  /** The action executed in the environment. */
  action: Action;
  /** The learner's action (null in pure expert demonstrations). */
  policyAction: Action | null;
  /** Distribution parameters of the learner at this state (logits / mean, log-std…). */
  params: Record<string, number[]> | null;
  /** Set when the expert acted (β-mixing or demonstrations). */
  expertExecuted: boolean;
  reward: number;
  terminated: boolean;
  /** Ensemble disagreement of the learner at this state, when it has one. */
  disagreement?: number;
}

export interface Rollout {
  episode: number;
  seed: number;
  steps: RolloutStep[];
  /** The state after the last step (for rendering the outcome). */
  finalState: unknown;
  return: number;
  length: number;
  terminated: boolean;
  truncated: boolean;
}

export interface PolicyBatchOutput {
  actions: Action[];
  /** Per-row distribution parameters. */
  params?: Record<string, number[]>[];
  disagreement?: number[];
}

/** A policy as the rollout loop sees it: a batch of observations in, one action per row out. */
export type BatchPolicy = (obs: Float32Array, n: number) => Promise<PolicyBatchOutput> | PolicyBatchOutput;

export interface RolloutOptions {
  episodes: number;
  /** Episode e starts from env.reset(seeds[e]). */
  seeds: number[];
  /** Probability of executing the expert's action (0 = learner only). */
  beta: number;
  /** Uniform [0,1) source for β-mixing and DART noise; seeded by the caller. */
  random: () => number;
  /** Gaussian / random-action noise on the executed expert action (DART), as a probability of a random action. */
  expertNoise?: number;
  /** Keep per-step states and observations (false for evaluation, which only needs returns). */
  record?: boolean;
  /** Stop after this many steps even if the env's horizon is longer. */
  maxSteps?: number;
  onEpisode?: (done: number) => void;
}

function randomAction(env: Env, random: () => number): Action {
  const s = env.actionSpace;
  if (s.kind === 'discrete') return Math.min(s.n - 1, Math.floor(random() * s.n));
  return s.low.map((lo, i) => lo + random() * ((s.high[i] ?? lo) - lo));
}

/** Runs the episodes; `policy` may be null only when β = 1 (pure expert). */
export async function collectRollouts(env: Env, policy: BatchPolicy | null, opts: RolloutOptions): Promise<Rollout[]> {
  if (opts.seeds.length < opts.episodes) throw new Error(`need ${opts.episodes} seeds, got ${opts.seeds.length}`);
  if (!policy && opts.beta < 1) throw new Error('a policy is required when beta < 1');
  const record = opts.record ?? true;
  const horizon = Math.min(env.horizon, opts.maxSteps ?? Infinity);
  const obsDim = env.observationSpace.size;
  const n = opts.episodes;
  const states: unknown[] = [];
  const out: Rollout[] = [];
  for (let e = 0; e < n; e++) {
    const seed = opts.seeds[e]!;
    states.push(env.reset(seed));
    out.push({ episode: e, seed, steps: [], finalState: null, return: 0, length: 0, terminated: false, truncated: false });
  }
  const active = Array.from({ length: n }, (_, i) => i);
  const obsBatch = new Float32Array(n * obsDim);
  let finished = 0;
  for (let t = 0; active.length > 0 && t < horizon; t++) {
    const observations: Float32Array[] = [];
    for (let k = 0; k < active.length; k++) {
      const o = env.observe(states[active[k]!]);
      observations.push(o);
      obsBatch.set(o, k * obsDim);
    }
    const learner = policy ? await policy(obsBatch.subarray(0, active.length * obsDim), active.length) : null;
    const still: number[] = [];
    for (let k = 0; k < active.length; k++) {
      const e = active[k]!;
      const state = states[e];
      const r = out[e]!;
      const policyAction = learner ? (learner.actions[k] ?? null) : null;
      const useExpert = opts.beta >= 1 || (opts.beta > 0 && opts.random() < opts.beta);
      let action: Action;
      if (useExpert) {
        action = opts.expertNoise && opts.random() < opts.expertNoise ? randomAction(env, opts.random) : env.expert(state);
      } else {
        action = policyAction as Action;
      }
      const res = env.step(state, action);
      if (record) {
        r.steps.push({
          t,
          state,
          obs: Array.from(observations[k]!),
          action,
          policyAction,
          params: learner?.params?.[k] ?? null,
          expertExecuted: useExpert,
          reward: res.reward,
          terminated: res.terminated,
          ...(learner?.disagreement ? { disagreement: learner.disagreement[k] } : {}),
        });
      }
      r.return += res.reward;
      r.length = t + 1;
      states[e] = res.state;
      if (res.terminated) r.terminated = true;
      else if (t + 1 >= horizon) r.truncated = true;
      if (res.terminated || t + 1 >= horizon) {
        r.finalState = res.state;
        opts.onEpisode?.(++finished);
      } else still.push(e);
    }
    active.splice(0, active.length, ...still);
  }
  return out;
}
