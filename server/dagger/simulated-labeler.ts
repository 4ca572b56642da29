/**
 * What a simulated labeler answers and how long it takes. A simulated labeler is the scripted expert π*
 * made imperfect, so crowd effects (errors, doubt, redundancy, aggregation) can be measured without
 * people. The claiming/submitting loop lives in server/jobs; this is only the decision.
 */
import type { Action, ActionSpace } from '@/envs/types';
import type { Rng } from './rng';

export interface SimulatedLabelerParams {
  /** Probability of answering a wrong action instead of the expert's. */
  errorRate: number;
  /** Probability of ticking "unsure" (independent of being wrong). */
  unsureRate: number;
}

/**
 * The expert's action, replaced with probability `errorRate` by an error: uniformly one of the other
 * n − 1 actions (discrete), or a uniform point in the box (continuous; uninformative, like a random
 * click). Always draws two uniforms first, so one labeler's stream does not shift with its answers.
 */
export function simulateLabel(expert: Action, space: ActionSpace, p: SimulatedLabelerParams, rng: Rng): { action: Action; unsure: boolean } {
  for (const [name, rate] of [['errorRate', p.errorRate], ['unsureRate', p.unsureRate]] as const) {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`${name} must be in [0, 1] (got ${rate})`);
  }
  const wrong = rng.uniform() < p.errorRate;
  const unsure = rng.uniform() < p.unsureRate;
  if (space.kind === 'discrete') {
    if (typeof expert !== 'number' || !Number.isInteger(expert) || expert < 0 || expert >= space.n) {
      throw new RangeError(`expert action must be an integer in [0, ${space.n}) (got ${JSON.stringify(expert)})`);
    }
    if (!wrong || space.n < 2) return { action: expert, unsure };
    // Uniform over the other n − 1 actions: draw from n − 1 and skip over the expert's.
    const other = rng.int(space.n - 1);
    return { action: other >= expert ? other + 1 : other, unsure };
  }
  if (!Array.isArray(expert) || expert.length !== space.size) {
    throw new RangeError(`expert action must be ${space.size} numbers (got ${JSON.stringify(expert)})`);
  }
  if (!wrong) return { action: [...expert], unsure };
  return { action: space.low.map((lo, d) => lo + rng.uniform() * (space.high[d]! - lo)), unsure };
}

/**
 * A labeling time in whole milliseconds with mean `meanMs`: log-normal, because human response times are
 * right-skewed (most answers quick, a few slow). σ is the spread of the log (0 → always the mean); the
 * log-mean is ln(meanMs) − σ²/2 so that the mean, not the median, is `meanMs`. 0 for meanMs = 0.
 */
export function sampleDelayMs(meanMs: number, rng: Rng, sigma = 0.5): number {
  if (!(meanMs >= 0) || !Number.isFinite(meanMs)) throw new RangeError(`meanMs must be a finite number ≥ 0 (got ${meanMs})`);
  if (!(sigma >= 0) || !Number.isFinite(sigma)) throw new RangeError(`sigma must be a finite number ≥ 0 (got ${sigma})`);
  if (meanMs === 0) return 0;
  const mu = Math.log(meanMs) - (sigma * sigma) / 2;
  return Math.round(Math.exp(mu + sigma * rng.normal()));
}
