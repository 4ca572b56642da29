/**
 * Aggregating several labelers' answers for one state into a consensus action.
 *
 * Discrete actions: a weighted majority vote. Each label counts with its labeler's weight (from accuracy on
 * gold states), halved when the labeler marked it "unsure". A tie or an agreement below `minAgreement`
 * asks for more labels until `maxLabelsPerState`; after that the best-supported action is taken.
 * Continuous actions: the per-dimension weighted median; agreement is 1 − the mean absolute deviation from
 * it as a fraction of the action range.
 */
import { z } from 'zod';
import type { Action, ActionSpace } from '@/envs/types';

export const aggregationSchema = z
  .object({
    /** Labels each selected state gets before aggregation (redundancy). */
    labelsPerState: z.number().int().min(1).max(20).default(1),
    /** Upper bound when ties or low agreement ask for more. */
    maxLabelsPerState: z.number().int().min(1).max(50).default(3),
    /** Below this weighted agreement, another label is requested. */
    minAgreement: z.number().min(0).max(1).default(0.6),
  })
  .refine((a) => a.maxLabelsPerState >= a.labelsPerState, { message: 'maxLabelsPerState must be ≥ labelsPerState', path: ['maxLabelsPerState'] });

export type AggregationConfig = z.infer<typeof aggregationSchema>;

export interface Vote {
  action: Action;
  unsure: boolean;
  /** The labeler's weight (1 for an unknown labeler). */
  weight: number;
}

export interface Consensus {
  /** 'consensus': settled. 'needs_more': ask another labeler (the action is still the best so far). */
  status: 'consensus' | 'needs_more';
  action: Action | null;
  /** Weighted share of the winning action (discrete) or 1 − normalised deviation (continuous). */
  agreement: number;
}

/** An unsure label counts half: it is an opinion, not a commitment. */
const UNSURE_FACTOR = 0.5;

export function aggregateLabels(space: ActionSpace, votes: Vote[], cfg: Omit<AggregationConfig, never>): Consensus {
  if (votes.length === 0) return { status: 'needs_more', action: null, agreement: 0 };
  const w = votes.map((v) => v.weight * (v.unsure ? UNSURE_FACTOR : 1));
  const enough = votes.length >= cfg.labelsPerState;
  const canAskMore = votes.length < cfg.maxLabelsPerState;
  if (space.kind === 'discrete') {
    const tally = new Map<number, number>();
    votes.forEach((v, i) => tally.set(v.action as number, (tally.get(v.action as number) ?? 0) + w[i]!));
    // Highest weight first; equal weights by lower action index, so the result is deterministic.
    const ranked = [...tally.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const total = w.reduce((a, b) => a + b, 0);
    const [best, bestW] = ranked[0]!;
    const tie = ranked.length > 1 && Math.abs(ranked[1]![1] - bestW) < 1e-9;
    const agreement = total > 0 ? bestW / total : 0;
    const settled = enough && !tie && agreement >= cfg.minAgreement;
    return { status: settled || (enough && !canAskMore) ? 'consensus' : 'needs_more', action: best, agreement };
  }
  const dims = space.size;
  const median: number[] = [];
  let deviation = 0;
  for (let d = 0; d < dims; d++) {
    const xs = votes.map((v, i) => ({ x: (v.action as number[])[d]!, w: w[i]! })).sort((a, b) => a.x - b.x);
    const half = xs.reduce((a, b) => a + b.w, 0) / 2;
    let acc = 0;
    let m = xs[xs.length - 1]!.x;
    for (const p of xs) {
      acc += p.w;
      if (acc >= half) {
        m = p.x;
        break;
      }
    }
    median.push(m);
    const range = space.high[d]! - space.low[d]!;
    const mad = xs.reduce((a, p) => a + p.w * Math.abs(p.x - m), 0) / (half * 2);
    deviation += Number.isFinite(range) && range > 0 ? mad / range : 0;
  }
  const agreement = Math.max(0, 1 - deviation / dims);
  const settled = enough && agreement >= cfg.minAgreement;
  return { status: settled || (enough && !canAskMore) ? 'consensus' : 'needs_more', action: median, agreement };
}

/**
 * Accuracy on gold states with a uniform Beta(1, 1) prior: (correct + 1) / (total + 2). A labeler without
 * gold answers is at 0.5, i.e. neutral.
 */
export function labelerAccuracy(correct: number, total: number): number {
  if (correct < 0 || total < correct) throw new RangeError(`bad gold tally ${correct}/${total}`);
  return (correct + 1) / (total + 2);
}

/**
 * Vote weight from accuracy: 2·accuracy, so a newcomer weighs 1, a reliable labeler up to 2, a coin flip
 * 1, and a labeler flagged as unreliable (≥ 3 gold answers, accuracy below the threshold) a quarter of that.
 */
export function labelerWeight(accuracy: number, opts: { flagBelow: number; gold: number }): number {
  const w = 2 * accuracy;
  return isFlagged(accuracy, opts) ? w * 0.25 : w;
}

export function isFlagged(accuracy: number, opts: { flagBelow: number; gold: number }): boolean {
  return opts.gold >= 3 && accuracy < opts.flagBelow;
}
