/**
 * The round state machine and the project's DAgger hyper-parameters.
 *
 *   rollout ──rollout_done──▶ labeling ──all_labeled / close_early──▶ training ──training_done──▶
 *   evaluating ──evaluation_done──▶ done
 *   any of rollout / training / evaluating ──phase_failed──▶ failed ──resume──▶ (the failed phase)
 *
 * Round 0 starts in `labeling` (collecting demonstrations); closing it trains π₁ by behaviour cloning.
 */
import { z } from 'zod';
import { aggregationSchema } from './aggregate';
import { betaScheduleSchema } from './beta';
import { selectionSchema } from './selection';

export const PHASES = ['rollout', 'labeling', 'training', 'evaluating', 'done', 'failed'] as const;
export type Phase = (typeof PHASES)[number];

export type RoundEvent =
  | { type: 'rollout_done' }
  | { type: 'all_labeled' }
  | { type: 'close_early' }
  | { type: 'training_done' }
  | { type: 'evaluation_done' }
  | { type: 'phase_failed'; error: string }
  | { type: 'resume' };

export interface RoundState {
  phase: Phase;
  failedPhase: Phase | null;
  closedEarly: boolean;
  error: string | null;
}

export class IllegalTransition extends Error {
  override name = 'IllegalTransition';
  constructor(phase: Phase, event: RoundEvent['type']) {
    super(`a round in phase "${phase}" cannot take the event "${event}"`);
  }
}

export function transition(r: RoundState, e: RoundEvent): RoundState {
  const to = (phase: Phase, extra: Partial<RoundState> = {}): RoundState => ({ ...r, phase, error: null, failedPhase: null, ...extra });
  switch (`${r.phase}:${e.type}`) {
    case 'rollout:rollout_done':
      return to('labeling');
    case 'labeling:all_labeled':
      return to('training');
    case 'labeling:close_early':
      return to('training', { closedEarly: true });
    case 'training:training_done':
      return to('evaluating');
    case 'evaluating:evaluation_done':
      return to('done');
    case 'rollout:phase_failed':
    case 'training:phase_failed':
    case 'evaluating:phase_failed':
      return { ...r, phase: 'failed', failedPhase: r.phase, error: (e as { error: string }).error };
    case 'failed:resume':
      if (!r.failedPhase) throw new IllegalTransition(r.phase, e.type);
      return to(r.failedPhase);
    default:
      throw new IllegalTransition(r.phase, e.type);
  }
}

/** Training needs data: round 0 needs demonstrations; round i ≥ 1 needs at least one new label. */
export function canTrain(roundIndex: number, newItems: number): { ok: true } | { ok: false; reason: string } {
  if (newItems > 0) return { ok: true };
  return roundIndex === 0
    ? { ok: false, reason: 'Round 0 has no demonstrations yet: record or upload some before training' }
    : { ok: false, reason: `Round ${roundIndex} has no new labels: training on zero new labels would only repeat the previous policy` };
}

/** Policy class and training hyper-parameters (validated in full by models/ when training starts). */
export const policyConfigSchema = z
  .object({
    kind: z.enum(['categorical', 'gaussian', 'mixture']).default('categorical'),
    hidden: z.array(z.number().int().min(1).max(4096)).min(1).max(8).default([64, 64]),
    epochs: z.number().int().min(1).max(10_000).default(60),
    ensemble: z.number().int().min(1).max(16).default(1),
  })
  .passthrough();

export const daggerConfigSchema = z.object({
  /** Built-in environment, or absent for an external project. */
  envId: z.string().optional(),
  /** Seeds every random choice of the project. */
  seed: z.number().int().min(0).default(0),
  policy: policyConfigSchema.default({ kind: 'categorical', hidden: [64, 64], epochs: 60, ensemble: 1 }),
  selection: selectionSchema.default({ strategy: 'first', k: 100 }),
  beta: betaScheduleSchema.default({ kind: 'constant', beta: 0 }),
  aggregation: aggregationSchema.default({ labelsPerState: 1, maxLabelsPerState: 3, minAgreement: 0.6 }),
  /** Learner rollouts per round. */
  rolloutEpisodes: z.number().int().min(1).max(1000).default(1),
  /** Evaluation of every new policy on fixed seeds (never used for training). */
  evaluation: z.object({ episodes: z.number().int().min(1).max(1000).default(20), seed: z.number().int().min(0).default(1_000_000) }).default({ episodes: 20, seed: 1_000_000 }),
  /** Deploy each newly trained policy at once (otherwise a researcher deploys it). */
  autoDeploy: z.boolean().default(true),
});

export type DaggerConfig = z.infer<typeof daggerConfigSchema>;
