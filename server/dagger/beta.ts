/**
 * β schedules (Ross et al., 2011): in round i the executed action is the expert's with probability βᵢ and
 * the learner's otherwise. Round 0 is pure demonstration (β = 1); these give β for rounds i ≥ 1.
 */
import { z } from 'zod';

export const betaScheduleSchema = z.discriminatedUnion('kind', [
  /** βᵢ = β for every round ≥ 1 (β = 0: the learner always acts — the common practical choice). */
  z.object({ kind: z.literal('constant'), beta: z.number().min(0, 'β must be in [0, 1]').max(1, 'β must be in [0, 1]').default(0) }),
  /** βᵢ = max(0, β₀ · (1 − (i − 1) / rounds)): from β₀ in round 1 down to 0 after `rounds` rounds. */
  z.object({
    kind: z.literal('linear'),
    beta0: z.number().min(0).max(1).default(1),
    rounds: z.number().int().min(1).default(5),
  }),
  /** βᵢ = p^(i−1): the paper's exponentially decaying mixture (β₁ = 1). */
  z.object({ kind: z.literal('exponential'), p: z.number().min(0).max(1).default(0.5) }),
]);

export type BetaSchedule = z.infer<typeof betaScheduleSchema>;

export function betaForRound(schedule: BetaSchedule, round: number): number {
  if (!Number.isInteger(round) || round < 0) throw new RangeError(`round must be a non-negative integer (got ${round})`);
  if (round === 0) return 1;
  switch (schedule.kind) {
    case 'constant':
      return schedule.beta;
    case 'linear':
      return Math.max(0, schedule.beta0 * (1 - (round - 1) / schedule.rounds));
    case 'exponential':
      return schedule.p ** (round - 1);
  }
}
