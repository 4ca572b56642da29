/**
 * β schedules (Ross, Gordon & Bagnell, 2011, Algorithm 3.1). In round i the rollout policy is the mixture
 *
 *     πᵢ = βᵢ · π*  +  (1 − βᵢ) · π̂ᵢ
 *
 * i.e. at every step the expert's action is executed with probability βᵢ, the learner's otherwise.
 *
 * Indexing. Our round 0 is pure expert demonstrations (β = 1), which is the paper's first iteration
 * (β₁ = 1). So our round i is the paper's iteration i + 1, and the paper's exponential βₙ = p^(n−1)
 * becomes β = p^i for our round i: round 1 uses p, round 2 uses p², … Every schedule returns 1 for
 * round 0, whatever its parameters.
 *
 * A schedule is a small callable (round ↦ β), like imitation's `BetaSchedule`; the zod schema is the
 * JSON form stored in a project's config, and `betaSchedule` turns one into the other.
 */
import { z } from 'zod';

/** β for a round index (≥ 0). */
export type BetaFn = (round: number) => number;

const unit = (name: string) => z.number().min(0, `${name} must be in [0, 1]`).max(1, `${name} must be in [0, 1]`);

export const betaScheduleSchema = z.discriminatedUnion('kind', [
  /** βᵢ = β for every round ≥ 1 (β = 0: the learner always acts — the common practical choice). */
  z.object({ kind: z.literal('constant'), beta: unit('β').default(0) }),
  /** βᵢ = max(0, β₀ · (1 − i / R)): decreases linearly, reaching 0 at round R. */
  z.object({
    kind: z.literal('linear'),
    beta0: unit('β₀').default(1),
    rounds: z.number().int('rounds must be an integer').min(1, 'rounds must be at least 1').default(5),
  }),
  /** βᵢ = pⁱ: the paper's exponentially decaying mixture, shifted to our round 0 (see above). */
  z.object({ kind: z.literal('exponential'), p: unit('p').default(0.5) }),
]);

export type BetaSchedule = z.infer<typeof betaScheduleSchema>;

function checkUnit(name: string, x: number): void {
  if (!(x >= 0 && x <= 1)) throw new RangeError(`${name} must be in [0, 1] (got ${x})`);
}

function checkRound(round: number): void {
  if (!Number.isInteger(round) || round < 0) throw new RangeError(`round must be a non-negative integer (got ${round})`);
}

/** Wraps a rule for rounds ≥ 1 with the two things every schedule shares: a round check and β₀ = 1. */
function schedule(rule: (round: number) => number): BetaFn {
  return (round) => {
    checkRound(round);
    // Round 0 is the expert's demonstrations: nothing to mix with yet.
    return round === 0 ? 1 : rule(round);
  };
}

export function constantBeta(beta: number): BetaFn {
  checkUnit('β', beta);
  return schedule(() => beta);
}

export function linearBeta(beta0: number, rounds: number): BetaFn {
  checkUnit('β₀', beta0);
  if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError(`rounds must be a positive integer (got ${rounds})`);
  return schedule((i) => Math.max(0, beta0 * (1 - i / rounds)));
}

export function exponentialBeta(p: number): BetaFn {
  checkUnit('p', p);
  return schedule((i) => p ** i);
}

/** The callable for a stored schedule. */
export function betaSchedule(s: BetaSchedule): BetaFn {
  switch (s.kind) {
    case 'constant':
      return constantBeta(s.beta);
    case 'linear':
      return linearBeta(s.beta0, s.rounds);
    case 'exponential':
      return exponentialBeta(s.p);
  }
}

/** β for `round` under a stored schedule or a callable. */
export function betaForRound(s: BetaSchedule | BetaFn, round: number): number {
  return (typeof s === 'function' ? s : betaSchedule(s))(round);
}
