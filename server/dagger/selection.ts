/**
 * State selection: which of the states visited by this round's rollouts go to the labelers. The paper
 * labels every visited state (`all`); with people in the loop their time is the budget, so:
 *
 *  all            every state
 *  stride:k       every k-th step of each rollout (t = 0, k, 2k, …): cheap decorrelation
 *  first:k        the first k states of each rollout (the benchmark protocol: 4 rounds × first 100)
 *  prefailure:k   the last k states before each termination (where the learner went wrong)
 *  random         a uniform random subset of `budget` states (seeded)
 *  uncertainty    the `budget` states where the ensemble members disagree most
 *
 * `budget` caps the states per round for every strategy. For the deterministic ones (all, stride, first,
 * prefailure) the earliest picks in (rollout, t) order are kept; `random` and `uncertainty` need a budget
 * and default to {@link DEFAULT_BUDGET}.
 *
 * Every state of the mixture's rollouts is a candidate, whether the expert or the learner acted at that
 * step (`expertExecuted` is kept for the record only): DAgger labels the states the mixture visits.
 */
import { z } from 'zod';
import type { Rng } from './rng';

export const STRATEGIES = ['all', 'stride', 'random', 'uncertainty', 'prefailure', 'first'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** States per round for `random` and `uncertainty` when no budget is given. */
export const DEFAULT_BUDGET = 100;

export const selectionSchema = z.object({
  strategy: z.enum(STRATEGIES).default('first'),
  /** Stride (stride:k), states before termination (prefailure:k) or states from the start (first:k). */
  k: z.number().int('k must be an integer').min(1, 'k must be at least 1').default(100),
  /** Most states selected per round (optional; random and uncertainty default to DEFAULT_BUDGET). */
  budget: z.number().int('budget must be an integer').min(1, 'budget must be at least 1').optional(),
});

export type SelectionConfig = z.infer<typeof selectionSchema>;

const WITH_K = new Set<Strategy>(['stride', 'prefailure', 'first']);
const WITH_BUDGET = new Set<Strategy>(['random', 'uncertainty']);
const USAGE = 'all, stride:k, first:k, prefailure:k, random[:budget] or uncertainty[:budget]';

/**
 * Parses the CLI form: `all | stride:k | first:k | prefailure:k | random[:budget] | uncertainty[:budget]`.
 * A budget given separately (`opts.budget`) applies to any strategy; a number in the string wins.
 */
export function parseSelection(text: string, opts: { budget?: number } = {}): SelectionConfig {
  const m = /^([a-z]+)(?::(.*))?$/.exec(text.trim());
  const strategy = m?.[1] as Strategy | undefined;
  if (!m || !strategy || !(STRATEGIES as readonly string[]).includes(strategy)) {
    throw new Error(`selection must be ${USAGE} (got "${text}")`);
  }
  const arg = m[2];
  let n: number | undefined;
  if (arg !== undefined) {
    if (!/^\d+$/.test(arg) || Number(arg) < 1) throw new Error(`selection ${strategy}: "${arg}" is not a positive integer`);
    n = Number(arg);
  }
  if (WITH_K.has(strategy) && n === undefined) throw new Error(`selection ${strategy} needs a number, e.g. ${strategy}:10`);
  if (strategy === 'all' && n !== undefined) throw new Error(`selection all takes no number (for a cap, use random:${n} or a budget)`);
  const budget = WITH_BUDGET.has(strategy) ? (n ?? opts.budget ?? DEFAULT_BUDGET) : opts.budget;
  const cfg = { strategy, ...(WITH_K.has(strategy) ? { k: n } : {}), ...(budget !== undefined ? { budget } : {}) };
  const parsed = selectionSchema.safeParse(cfg);
  if (!parsed.success) throw new Error(`selection "${text}": ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}

/** The compact string of a config (the inverse of {@link parseSelection}, budget aside). */
export function formatSelection(cfg: SelectionConfig): string {
  if (WITH_K.has(cfg.strategy)) return `${cfg.strategy}:${cfg.k}`;
  if (WITH_BUDGET.has(cfg.strategy)) return `${cfg.strategy}:${cfg.budget ?? DEFAULT_BUDGET}`;
  return cfg.strategy;
}

export interface SelectionStep {
  /** Time step within the rollout (0-based). */
  t: number;
  /** Ensemble disagreement at this state (present when the policy is an ensemble). */
  disagreement?: number;
  /** Whether the β coin chose the expert's action at this step (for the record). */
  expertExecuted?: boolean;
}

export interface SelectionRollout {
  rolloutIndex: number;
  /** The episode ended in a terminal state (failure or goal), not by reaching the horizon. */
  terminated: boolean;
  truncated: boolean;
  steps: SelectionStep[];
}

export interface Selected {
  rolloutIndex: number;
  t: number;
  /** Why this state was chosen, shown to researchers ("stride:5", "uncertainty: disagreement 0.830 (rank 3)"). */
  reason: string;
}

export function selectStates(rollouts: SelectionRollout[], cfg: SelectionConfig, rng: Rng): Selected[] {
  // Fixed reading order: rollouts by index, steps by time, whatever order the caller built them in.
  const ordered = [...rollouts]
    .sort((a, b) => a.rolloutIndex - b.rolloutIndex)
    .map((r) => ({ ...r, steps: [...r.steps].sort((a, b) => a.t - b.t) }));
  const states = ordered.flatMap((r) => r.steps.map((s) => ({ rolloutIndex: r.rolloutIndex, ...s })));
  const pick = (s: { rolloutIndex: number; t: number }, reason: string): Selected => ({ rolloutIndex: s.rolloutIndex, t: s.t, reason });
  const cap = (xs: Selected[]) => (cfg.budget !== undefined ? xs.slice(0, cfg.budget) : xs);
  const budget = Math.min(cfg.budget ?? DEFAULT_BUDGET, states.length);

  switch (cfg.strategy) {
    case 'all':
      return cap(states.map((s) => pick(s, 'all')));
    case 'stride':
      return cap(states.filter((s) => s.t % cfg.k === 0).map((s) => pick(s, `stride:${cfg.k}`)));
    case 'first':
      // By position, not by t, so a rollout whose steps start late still gives its first k states.
      return cap(ordered.flatMap((r) => r.steps.slice(0, cfg.k).map((s) => pick({ rolloutIndex: r.rolloutIndex, t: s.t }, `first:${cfg.k}`))));
    case 'prefailure':
      // Truncation (the horizon) is not a failure: only rollouts that terminated have a "before".
      return cap(
        ordered
          .filter((r) => r.terminated && r.steps.length > 0)
          .flatMap((r) => {
            return r.steps.slice(-cfg.k).map((s, j, tail) => {
              // The last recorded state is 1 step before the terminal state its action led to.
              const before = tail.length - j;
              return pick({ rolloutIndex: r.rolloutIndex, t: s.t }, `prefailure: ${before} step${before === 1 ? '' : 's'} before termination`);
            });
          }),
      );
    case 'random':
      return rng.sampleWithoutReplacement(states.length, budget).map((i) => pick(states[i]!, 'random'));
    case 'uncertainty': {
      const missing = states.find((s) => s.disagreement === undefined || !Number.isFinite(s.disagreement));
      if (missing) {
        throw new Error(
          `uncertainty selection needs an ensemble policy: no finite disagreement at rollout ${missing.rolloutIndex}, t = ${missing.t}`,
        );
      }
      // Highest disagreement first; ties by rollout then time, so the choice never depends on sort stability.
      const ranked = [...states].sort((a, b) => b.disagreement! - a.disagreement! || a.rolloutIndex - b.rolloutIndex || a.t - b.t);
      return ranked.slice(0, budget).map((s, rank) => pick(s, `uncertainty: disagreement ${s.disagreement!.toFixed(3)} (rank ${rank + 1})`));
    }
  }
}
