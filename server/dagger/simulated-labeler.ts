/**
 * What a simulated labeler answers: the scripted expert's action, replaced with probability `errorRate`
 * by a wrong one (another discrete action uniformly, or a uniform point in the box), and marked unsure
 * with probability `unsureRate`.
 */
import type { Action, ActionSpace } from '@/envs/types';
import type { Rng } from './rng';

export function simulateLabel(expert: Action, space: ActionSpace, p: { errorRate: number; unsureRate: number }, rng: Rng): { action: Action; unsure: boolean } {
  if (p.errorRate < 0 || p.errorRate > 1 || p.unsureRate < 0 || p.unsureRate > 1) throw new RangeError('rates must be in [0, 1]');
  const wrong = rng.uniform() < p.errorRate;
  const unsure = rng.uniform() < p.unsureRate;
  if (!wrong) return { action: expert, unsure };
  if (space.kind === 'discrete') {
    // Uniform over the other n − 1 actions.
    const other = rng.int(space.n - 1);
    return { action: other >= (expert as number) ? other + 1 : other, unsure };
  }
  return { action: space.low.map((lo, d) => lo + rng.uniform() * (space.high[d]! - lo)), unsure };
}
