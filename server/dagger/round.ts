/**
 * A DAgger round and the project's hyper-parameters.
 *
 * Round i (Ross et al., 2011): roll out the mixture πᵢ = βᵢπ* + (1 − βᵢ)π̂ᵢ, let the expert (people)
 * label the selected visited states, aggregate them into the dataset D ← D ∪ Dᵢ, train π̂ᵢ₊₁ on all of D,
 * evaluate it. As a state machine:
 *
 *   rollout ──rollout_done──▶ labeling ──all_labeled──▶ training ──training_done──▶ evaluating
 *                                      ──close_early─▶ (closedEarly)                   │
 *                                                                        evaluation_done ▼
 *                                                                                       done
 *   rollout / training / evaluating ──phase_failed──▶ failed ──resume──▶ the phase that failed
 *
 * Round 0 starts in `labeling` (the expert's demonstrations); closing it trains π̂₁ by behaviour cloning.
 * Labeling never "fails": it is people, not a job; a researcher closes it instead.
 * `transition` is pure: the services persist what it returns; the phase guard in their UPDATE makes each
 * move a compare-and-set.
 */
import { z } from 'zod';
import { aggregationSchema } from './aggregate';
import { betaScheduleSchema } from './beta';
import { selectionSchema } from './selection';

export const PHASES = ['rollout', 'labeling', 'training', 'evaluating', 'done', 'failed'] as const;
export type Phase = (typeof PHASES)[number];

/** Phases run by a background job, which can therefore fail and be resumed. */
export const JOB_PHASES = ['rollout', 'training', 'evaluating'] as const satisfies readonly Phase[];
export type JobPhase = (typeof JOB_PHASES)[number];

export type RoundEvent =
  | { type: 'rollout_done' }
  | { type: 'all_labeled' }
  | { type: 'close_early' }
  | { type: 'training_done' }
  | { type: 'evaluation_done' }
  /** `phase`, when given, must be the round's phase: a stale job's failure must not fail a newer phase. */
  | { type: 'phase_failed'; phase?: Phase; error: string }
  | { type: 'resume' };

export interface RoundState {
  phase: Phase;
  /** While `failed`: the phase to resume. */
  failedPhase: Phase | null;
  /** The researcher ended labeling before every selected state had its labels. */
  closedEarly: boolean;
  /** While `failed`: what went wrong. */
  error: string | null;
}

export class IllegalTransition extends Error {
  override name = 'IllegalTransition';
  constructor(
    readonly phase: Phase,
    readonly event: RoundEvent['type'],
    detail?: string,
  ) {
    super(`a round in phase "${phase}" cannot take the event "${event}"${detail ? `: ${detail}` : ''}`);
  }
}

/**
 * A new round: round 0 collects demonstrations (labeling); later rounds start by rolling out π̂ᵢ, except
 * in an external project, whose simulator posts its rollouts over the HTTP API while the round labels.
 */
export function initialRound(index: number, opts: { external?: boolean } = {}): RoundState {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`round index must be a non-negative integer (got ${index})`);
  return { phase: index === 0 || opts.external ? 'labeling' : 'rollout', failedPhase: null, closedEarly: false, error: null };
}

const isJobPhase = (p: Phase): p is JobPhase => (JOB_PHASES as readonly Phase[]).includes(p);

/** The round after `event`, or an IllegalTransition naming the phase and the event. */
export function transition(r: RoundState, event: RoundEvent): RoundState {
  const to = (phase: Phase, extra: Partial<RoundState> = {}): RoundState => ({ ...r, phase, failedPhase: null, error: null, ...extra });
  const illegal = (detail?: string) => new IllegalTransition(r.phase, event.type, detail);
  switch (event.type) {
    case 'rollout_done':
      if (r.phase !== 'rollout') throw illegal();
      return to('labeling');
    case 'all_labeled':
      if (r.phase !== 'labeling') throw illegal();
      return to('training');
    case 'close_early':
      if (r.phase !== 'labeling') throw illegal();
      return to('training', { closedEarly: true });
    case 'training_done':
      if (r.phase !== 'training') throw illegal();
      return to('evaluating');
    case 'evaluation_done':
      if (r.phase !== 'evaluating') throw illegal();
      return to('done');
    case 'phase_failed':
      if (!isJobPhase(r.phase)) throw illegal('only rollout, training and evaluating run as jobs');
      if (event.phase !== undefined && event.phase !== r.phase) throw illegal(`the failure is from phase "${event.phase}"`);
      return { ...r, phase: 'failed', failedPhase: r.phase, error: event.error };
    case 'resume':
      if (r.phase !== 'failed' || r.failedPhase === null) throw illegal();
      return to(r.failedPhase);
  }
}

/**
 * Training needs data (imitation's DAgger refuses the same): round 0 needs demonstrations; round i ≥ 1
 * needs at least one new label, or it would only retrain on the previous dataset.
 */
export function canTrain(roundIndex: number, newItems: number): { ok: true } | { ok: false; reason: string } {
  if (newItems > 0) return { ok: true };
  return roundIndex === 0
    ? { ok: false, reason: 'Round 0 has no demonstrations yet: record or upload some before training' }
    : { ok: false, reason: `Round ${roundIndex} has no new labels: training on zero new labels would only repeat the previous policy` };
}

export class NothingToTrain extends Error {
  override name = 'NothingToTrain';
}

/** {@link canTrain} as an assertion. */
export function assertCanTrain(roundIndex: number, newItems: number): void {
  const check = canTrain(roundIndex, newItems);
  if (!check.ok) throw new NothingToTrain(check.reason);
}

// Hyper-parameters ----------------------------------------------------------------------------------------

/**
 * Policy class and training hyper-parameters. Only what the server itself reads is checked here; every
 * other key is passed through untouched to models/, which validates the rest when training starts.
 */
export const policyConfigSchema = z
  .object({
    /** categorical (discrete), gaussian (continuous), mixture (multi-modal continuous). */
    kind: z.enum(['categorical', 'gaussian', 'mixture']).default('categorical'),
    /** Hidden layer sizes of the MLP. */
    hidden: z.array(z.number().int().min(1).max(4096)).min(1).max(8).default([64, 64]),
    epochs: z.number().int().min(1).max(10_000).default(60),
    /** Members of the ensemble; ≥ 2 gives the disagreement that `uncertainty` selection needs. */
    ensemble: z.number().int().min(1).max(16).default(1),
  })
  .passthrough();

/**
 * Everything that decides what a DAgger project does, in one place (stored as the project's config).
 * Defaults follow the benchmark protocol: β = 0 after round 0, the first 100 states of one rollout per
 * round, one label per state.
 */
export const daggerConfigSchema = z.object({
  /** Built-in environment, or absent for an external project (rollouts arrive over the HTTP API). */
  envId: z.string().optional(),
  /** Seeds every random choice of the project (each round derives its own seed from it). */
  seed: z.number().int().min(0).max(0xffff_ffff).default(0),
  /** Policy class π̂ and how it is trained. */
  policy: policyConfigSchema.default({ kind: 'categorical', hidden: [64, 64], epochs: 60, ensemble: 1 }),
  /** Which visited states are labeled, and the per-round `budget` (selection.budget). */
  selection: selectionSchema.default({ strategy: 'first', k: 100 }),
  /** βᵢ: probability that the expert's action is executed during round i's rollouts. */
  beta: betaScheduleSchema.default({ kind: 'constant', beta: 0 }),
  /** Labels per state (aggregation.labelsPerState), how many more on disagreement, and when to agree. */
  aggregation: aggregationSchema.default({ labelsPerState: 1, maxLabelsPerState: 3, minAgreement: 0.6 }),
  /** Rollouts of πᵢ per round. */
  rolloutEpisodes: z.number().int().min(1).max(1000).default(1),
  /** Evaluation of every new policy on fixed seeds (never used for training). */
  evaluation: z
    .object({
      episodes: z.number().int().min(1).max(1000).default(20),
      /** Evaluation episodes use seeds derived from this one, identical across rounds for a fair comparison. */
      seed: z.number().int().min(0).max(0xffff_ffff).default(1_000_000),
    })
    .default({ episodes: 20, seed: 1_000_000 }),
  /** Deploy each newly trained policy at once (otherwise a researcher deploys it). */
  autoDeploy: z.boolean().default(true),
});

export type DaggerConfig = z.infer<typeof daggerConfigSchema>;
