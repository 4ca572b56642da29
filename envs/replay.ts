/**
 * Replays an action sequence in an environment and reports it in the layout of the reference files
 * (shared/reference, envs/__fixtures__): for Gymnasium's environments `observations[t]` is the observation
 * returned by step t; for LaneFollow-v0 it is the observation before action t, and `states[t]` is the
 * 4-tuple (s, d, ψ, δ) after action t, as in its reference.
 */
import { EnvInputError } from './types';
import type { Action, Env } from './types';

export interface ReplayCase {
  /** Internal state to start from (Gymnasium layout), or … */
  initial_state?: unknown;
  /** … a reset seed (LaneFollow-v0 and LunarLander-v3 cases are given this way). */
  seed?: number;
  actions: unknown[];
}

export interface ReplayResult {
  observations: number[][];
  rewards: number[];
  terminated: boolean[];
  states: unknown[];
}

/** Checks an untrusted JSON value is a replay case. */
export function parseReplayCase(value: unknown): ReplayCase {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new EnvInputError('a replay case must be an object {"initial_state": [...] | "seed": n, "actions": [...]}');
  const c = value as Record<string, unknown>;
  if (!Array.isArray(c.actions)) throw new EnvInputError('the replay case needs an "actions" array');
  const hasState = c.initial_state !== undefined;
  const hasSeed = c.seed !== undefined;
  if (hasState === hasSeed) throw new EnvInputError('the replay case needs exactly one of "initial_state" and "seed"');
  if (hasSeed && (typeof c.seed !== 'number' || !Number.isInteger(c.seed))) throw new EnvInputError(`"seed" must be an integer, got ${JSON.stringify(c.seed)}`);
  return { initial_state: c.initial_state, seed: c.seed as number | undefined, actions: c.actions };
}

export function replay(env: Env<unknown>, c: ReplayCase): ReplayResult {
  const before = env.id === 'LaneFollow-v0';
  let s = c.seed !== undefined ? env.reset(c.seed) : env.parseState(c.initial_state);
  const out: ReplayResult = { observations: [], rewards: [], terminated: [], states: [] };
  c.actions.forEach((raw, t) => {
    // The reference files write a one-dimensional Box action as a bare number.
    const a = (env.actionSpace.kind === 'box' && typeof raw === 'number' ? [raw] : raw) as Action;
    if (before) out.observations.push(Array.from(env.observe(s)));
    let r;
    try {
      r = env.step(s, a);
    } catch (e) {
      if (e instanceof EnvInputError) throw new EnvInputError(`actions[${t}]: ${e.message}`);
      throw e;
    }
    s = r.state;
    if (!before) out.observations.push(Array.from(env.observe(s)));
    out.rewards.push(r.reward);
    out.terminated.push(r.terminated);
    out.states.push(before ? (s as number[]).slice(0, 4) : s);
  });
  return out;
}
