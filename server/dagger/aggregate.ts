/**
 * Aggregation: several labelers' answers for one state → one consensus action for the dataset.
 *
 * Discrete actions: a weighted majority vote. A label counts with its labeler's weight (from accuracy
 * on gold states, see `labelerWeight`), halved when the labeler marked it "unsure" (an opinion, not a
 * commitment), and not at all when skipped. Agreement is the winner's share of the total weight.
 *
 * Continuous actions: the per-dimension weighted median (robust to one wild label, unlike the mean).
 * Agreement is 1 − the weighted mean absolute deviation from that median as a fraction of the action
 * range, averaged over dimensions (dimensions without a finite range are left out of the average).
 *
 * Decision, the same for both:
 *  - fewer usable labels than `labelsPerState`, a tie, or agreement below `minAgreement`
 *      → 'needs_more' while fewer than `maxLabelsPerState` labels (skipped ones included) were given;
 *  - after that, best effort: 'consensus' with `lowAgreement: true` (a tie goes to the lower action
 *    index, so the result is deterministic), because a state no crowd can agree on is better labelled
 *    once, auditable by its agreement, than left out silently;
 *  - 'unresolvable' only when the maximum is reached and no label carries any weight (all skipped).
 * While 'needs_more', `action` is the best answer so far (what closing the round early will use).
 */
import { z } from 'zod';
import type { Action, ActionSpace } from '@/envs/types';

export const aggregationSchema = z
  .object({
    /** Labels each selected state gets before aggregation (redundancy). */
    labelsPerState: z.number().int().min(1, 'labelsPerState must be at least 1').max(20).default(1),
    /** Upper bound when ties or low agreement ask for more. */
    maxLabelsPerState: z.number().int().min(1, 'maxLabelsPerState must be at least 1').max(50).default(3),
    /** Below this weighted agreement, another label is requested. */
    minAgreement: z.number().min(0, 'minAgreement must be in [0, 1]').max(1, 'minAgreement must be in [0, 1]').default(0.6),
  })
  .refine((a) => a.maxLabelsPerState >= a.labelsPerState, { message: 'maxLabelsPerState must be ≥ labelsPerState', path: ['maxLabelsPerState'] });

export type AggregationConfig = z.infer<typeof aggregationSchema>;

export interface Vote {
  /** The labeled action; null (or `skipped`) for a skipped state. */
  action: Action | null;
  unsure: boolean;
  /** The labeler's weight (`labelerWeight`; 1 for a newcomer). */
  weight: number;
  skipped?: boolean;
}

/** The weight behind one answer (discrete) or one label (continuous). */
export interface VoteTally {
  action: Action;
  /** Summed effective weight (labeler weight, halved when unsure). */
  weight: number;
  count: number;
}

export interface Consensus {
  status: 'consensus' | 'needs_more' | 'unresolvable';
  /** The consensus, or the best answer so far while 'needs_more'; null when nothing usable exists. */
  action: Action | null;
  /** Weighted share of the winner (discrete), 1 − normalised deviation (continuous); 0 with no votes. */
  agreement: number;
  /** Settled only because `maxLabelsPerState` was reached (a tie or agreement below `minAgreement`). */
  lowAgreement: boolean;
  /** Discrete: one entry per answered action, heaviest first. Continuous: one entry per usable label. */
  votes: VoteTally[];
}

/** An unsure label counts half: the labeler's own doubt, on top of their track record. */
export const UNSURE_FACTOR = 0.5;
/** Weights closer than this are a tie (sums of halves and products of accuracies are not exact). */
const TIE_EPSILON = 1e-9;

export function aggregateLabels(space: ActionSpace, labels: Vote[], cfg: AggregationConfig): Consensus {
  const usable = labels.filter((v): v is Vote & { action: Action } => !v.skipped && v.action !== null);
  for (const v of usable) checkVote(space, v);
  const effective = usable.map((v) => v.weight * (v.unsure ? UNSURE_FACTOR : 1));
  const total = effective.reduce((a, b) => a + b, 0);
  const canAskMore = labels.length < cfg.maxLabelsPerState;
  const enough = usable.length >= cfg.labelsPerState;

  if (usable.length === 0 || total <= 0) {
    return { status: canAskMore ? 'needs_more' : 'unresolvable', action: null, agreement: 0, lowAgreement: false, votes: [] };
  }

  const { action, agreement, tie, votes } =
    space.kind === 'discrete' ? majority(usable, effective, total) : median(space.low, space.high, usable, effective);
  const settled = enough && !tie && agreement >= cfg.minAgreement;
  if (settled) return { status: 'consensus', action, agreement, lowAgreement: false, votes };
  if (canAskMore) return { status: 'needs_more', action, agreement, lowAgreement: false, votes };
  // Out of labels: best effort, flagged (a short-handed crowd can also land here with too few labels).
  return { status: 'consensus', action, agreement, lowAgreement: true, votes };
}

function majority(votes: { action: Action }[], w: number[], total: number) {
  const tally = new Map<number, VoteTally>();
  votes.forEach((v, i) => {
    const a = v.action as number;
    const t = tally.get(a) ?? { action: a, weight: 0, count: 0 };
    t.weight += w[i]!;
    t.count++;
    tally.set(a, t);
  });
  // Heaviest first; equal weights by the lower action index, so the result never depends on label order.
  const ranked = [...tally.values()].sort((a, b) => b.weight - a.weight || (a.action as number) - (b.action as number));
  const best = ranked[0]!;
  const tie = ranked.length > 1 && best.weight - ranked[1]!.weight < TIE_EPSILON;
  return { action: best.action, agreement: best.weight / total, tie, votes: ranked };
}

function median(low: number[], high: number[], votes: { action: Action }[], w: number[]) {
  const dims = low.length;
  const action: number[] = [];
  let deviation = 0;
  let bounded = 0;
  for (let d = 0; d < dims; d++) {
    const xs = votes.map((v, i) => ({ x: (v.action as number[])[d]!, w: w[i]! })).sort((a, b) => a.x - b.x);
    const m = weightedMedian(xs);
    action.push(m);
    const range = high[d]! - low[d]!;
    if (Number.isFinite(range) && range > 0) {
      const total = xs.reduce((a, p) => a + p.w, 0);
      deviation += xs.reduce((a, p) => a + p.w * Math.abs(p.x - m), 0) / total / range;
      bounded++;
    }
  }
  const agreement = bounded === 0 ? 1 : Math.max(0, Math.min(1, 1 - deviation / bounded));
  return { action, agreement, tie: false, votes: votes.map((v, i) => ({ action: v.action, weight: w[i]!, count: 1 })) };
}

/**
 * The weighted median of points sorted by x: the first point where the cumulative weight reaches half
 * the total; when it lands exactly on half, the midpoint with the next point (so [a, b] gives (a + b)/2).
 */
export function weightedMedian(sorted: { x: number; w: number }[]): number {
  if (sorted.length === 0) throw new RangeError('the median of no values is undefined');
  const half = sorted.reduce((a, p) => a + p.w, 0) / 2;
  let acc = 0;
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i]!;
    acc += p.w;
    if (Math.abs(acc - half) < TIE_EPSILON * Math.max(1, half) && i + 1 < sorted.length) return (p.x + sorted[i + 1]!.x) / 2;
    if (acc >= half) return p.x;
  }
  return sorted[sorted.length - 1]!.x;
}

/** A vote that does not fit the action space is a bug upstream, not an opinion: refuse it loudly. */
function checkVote(space: ActionSpace, v: { action: Action; weight: number }): void {
  if (!(v.weight >= 0) || !Number.isFinite(v.weight)) throw new RangeError(`vote weight must be a finite number ≥ 0 (got ${v.weight})`);
  if (space.kind === 'discrete') {
    const a = v.action;
    if (typeof a !== 'number' || !Number.isInteger(a) || a < 0 || a >= space.n) {
      throw new RangeError(`discrete vote must be an integer in [0, ${space.n}) (got ${JSON.stringify(a)})`);
    }
  } else {
    const a = v.action;
    if (!Array.isArray(a) || a.length !== space.size || !a.every(Number.isFinite)) {
      throw new RangeError(`continuous vote must be ${space.size} finite numbers (got ${JSON.stringify(a)})`);
    }
  }
}

// Labeler quality -----------------------------------------------------------------------------------------

/** A labeler is flagged only after this many gold answers: two misses out of two is bad luck, not a pattern. */
export const MIN_GOLD_FOR_FLAG = 3;
/** A flagged labeler's votes still count, at a quarter of their weight (they may have improved). */
export const FLAGGED_WEIGHT_FACTOR = 0.25;

/**
 * Accuracy on gold states, the posterior mean under a Beta(α, β) prior: (correct + α) / (total + α + β).
 * The default Beta(1, 1) (Laplace's rule) puts a labeler without gold answers at 0.5 and keeps one lucky
 * answer from reading as 100 %.
 */
export function labelerAccuracy(correct: number, total: number, prior: { alpha: number; beta: number } = { alpha: 1, beta: 1 }): number {
  if (!Number.isInteger(correct) || !Number.isInteger(total) || correct < 0 || total < correct) {
    throw new RangeError(`bad gold tally ${correct}/${total}: need integers with 0 ≤ correct ≤ total`);
  }
  if (!(prior.alpha > 0 && prior.beta > 0)) throw new RangeError(`Beta prior parameters must be > 0 (got α = ${prior.alpha}, β = ${prior.beta})`);
  return (correct + prior.alpha) / (total + prior.alpha + prior.beta);
}

/** Whether a labeler's gold accuracy is too low to trust at full weight. */
export function isFlagged(accuracy: number, opts: { flagBelow: number; gold: number; minGold?: number }): boolean {
  return opts.gold >= (opts.minGold ?? MIN_GOLD_FOR_FLAG) && accuracy < opts.flagBelow;
}

/**
 * Vote weight from (prior-smoothed) accuracy: w = 2 · accuracy, in [0, 2], so a newcomer (0.5) weighs 1
 * and a reliable labeler up to 2; × FLAGGED_WEIGHT_FACTOR when flagged.
 *
 * Why not the log-odds log(acc / (1 − acc)), optimal for independent binary voters? It gives a newcomer
 * weight 0, so a crowd of newcomers could never reach consensus, and it is unbounded, so one labeler
 * with a lucky streak would outvote everyone. A bounded linear weight degrades gracefully.
 */
export function labelerWeight(accuracy: number, opts: { flagBelow: number; gold: number; minGold?: number }): number {
  if (!(accuracy >= 0 && accuracy <= 1)) throw new RangeError(`accuracy must be in [0, 1] (got ${accuracy})`);
  const w = 2 * accuracy;
  return isFlagged(accuracy, opts) ? w * FLAGGED_WEIGHT_FACTOR : w;
}
