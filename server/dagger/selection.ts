/**
 * State selection: which of the states the learner visited are worth an expert's time. Strategies:
 *  all            every state
 *  stride:k       every k-th step of each rollout
 *  random         uniformly at random, up to the budget
 *  uncertainty    the top-budget states by ensemble disagreement
 *  prefailure:k   the last k states before each termination (failures carry the most signal)
 *  first:k        the first k states of each rollout (the benchmark protocol of ENVIRONMENTS.md)
 * A budget caps the states per round for every strategy (for `all`/`stride`/`first`/`prefailure`, the
 * earliest picks are kept).
 */
import { z } from 'zod';
import type { Rng } from './rng';

export const selectionSchema = z.object({
  strategy: z.enum(['all', 'stride', 'random', 'uncertainty', 'prefailure', 'first']).default('first'),
  /** Stride, number of pre-failure states, or number of first states. */
  k: z.number().int().min(1, 'k must be at least 1').default(100),
  /** Most states selected per round (required for random / uncertainty; defaults to 100 there). */
  budget: z.number().int().min(1, 'budget must be at least 1').optional(),
});

export type SelectionConfig = z.infer<typeof selectionSchema>;

/** Parses the CLI form: all | stride:k | random[:budget] | uncertainty[:budget] | prefailure:k | first:k. */
export function parseSelection(text: string): SelectionConfig {
  const m = /^(all|stride|random|uncertainty|prefailure|first)(?::(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`selection must be all, stride:k, random[:budget], uncertainty[:budget], prefailure:k or first:k (got "${text}")`);
  const strategy = m[1] as SelectionConfig['strategy'];
  const n = m[2] === undefined ? undefined : Number(m[2]);
  if ((strategy === 'stride' || strategy === 'prefailure' || strategy === 'first') && n === undefined) {
    throw new Error(`selection ${strategy} needs a number, e.g. ${strategy}:10`);
  }
  if (n !== undefined && n < 1) throw new Error(`selection ${strategy}: the number must be at least 1`);
  if (strategy === 'random' || strategy === 'uncertainty') return selectionSchema.parse({ strategy, budget: n ?? 100 });
  return selectionSchema.parse({ strategy, k: n ?? 100 });
}

export interface SelectionRollout {
  rolloutIndex: number;
  terminated: boolean;
  truncated: boolean;
  steps: { t: number; disagreement?: number; expertExecuted?: boolean }[];
}

export interface Selected {
  rolloutIndex: number;
  t: number;
  reason: string;
}

export function selectStates(rollouts: SelectionRollout[], cfg: SelectionConfig, rng: Rng): Selected[] {
  const all = rollouts.flatMap((r) => r.steps.map((s) => ({ rolloutIndex: r.rolloutIndex, t: s.t, disagreement: s.disagreement })));
  const cap = (xs: Selected[]) => (cfg.budget !== undefined ? xs.slice(0, cfg.budget) : xs);
  switch (cfg.strategy) {
    case 'all':
      return cap(all.map((s) => ({ rolloutIndex: s.rolloutIndex, t: s.t, reason: 'all' })));
    case 'stride':
      return cap(all.filter((s) => s.t % cfg.k === 0).map((s) => ({ rolloutIndex: s.rolloutIndex, t: s.t, reason: `stride:${cfg.k}` })));
    case 'first':
      return cap(all.filter((s) => s.t < cfg.k).map((s) => ({ rolloutIndex: s.rolloutIndex, t: s.t, reason: `first:${cfg.k}` })));
    case 'prefailure':
      return cap(
        rollouts
          .filter((r) => r.terminated)
          .flatMap((r) => {
            const last = r.steps.length - 1;
            return r.steps
              .filter((s) => s.t > last - cfg.k)
              .map((s) => ({ rolloutIndex: r.rolloutIndex, t: s.t, reason: `prefailure: ${last - s.t} steps before termination` }));
          }),
      );
    case 'random': {
      const budget = Math.min(cfg.budget ?? 100, all.length);
      return rng.sampleWithoutReplacement(all.length, budget).map((i) => ({ rolloutIndex: all[i]!.rolloutIndex, t: all[i]!.t, reason: 'random' }));
    }
    case 'uncertainty': {
      const budget = Math.min(cfg.budget ?? 100, all.length);
      if (all.some((s) => s.disagreement === undefined)) {
        throw new Error('uncertainty selection needs an ensemble policy (no disagreement was measured)');
      }
      // Highest disagreement first; ties by rollout then time so the order is deterministic.
      const ranked = [...all].sort((a, b) => b.disagreement! - a.disagreement! || a.rolloutIndex - b.rolloutIndex || a.t - b.t);
      return ranked.slice(0, budget).map((s, rank) => ({
        rolloutIndex: s.rolloutIndex,
        t: s.t,
        reason: `uncertainty: disagreement ${s.disagreement!.toFixed(3)} (rank ${rank + 1})`,
      }));
    }
  }
}
