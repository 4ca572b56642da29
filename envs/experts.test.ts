/** Each scripted expert reaches its environment's threshold over 100 seeded episodes (ENVIRONMENTS.md). */
import { describe, expect, it } from 'vitest';
import { getEnv } from './registry';
import { runExpert } from './run-expert';

type Score = ReturnType<typeof runExpert>;

const CASES: [string, (r: Score) => void][] = [
  ['CartPole-v1', (r) => expect(r.returnMean).toBeGreaterThanOrEqual(475)],
  ['MountainCar-v0', (r) => expect(r.returnMean).toBeGreaterThanOrEqual(-110)],
  ['MountainCarContinuous-v0', (r) => expect(r.returnMean).toBeGreaterThanOrEqual(90)],
  ['Acrobot-v1', (r) => expect(r.returnMean).toBeGreaterThanOrEqual(-100)],
  // No Gymnasium threshold; the rule scores −142 ± 85 on Gymnasium's own code.
  ['Pendulum-v1', (r) => expect(r.returnMean).toBeGreaterThan(-250)],
  // Gymnasium's heuristic on the planck port: ≈ 250 with a few crashes.
  ['LunarLander-v3', (r) => expect(r.returnMean).toBeGreaterThanOrEqual(200)],
  ['LaneFollow-v0', (r) => expect(r.successRate).toBe(1)],
];

describe('scripted experts', () => {
  for (const [id, check] of CASES) {
    it(`${id} over 100 seeded episodes`, () => {
      const r = runExpert(getEnv(id), 100, 12345);
      check(r);
      expect(r.episodes).toBe(100);
    });
  }

  it('are deterministic for a seed', () => {
    for (const id of ['Pendulum-v1', 'LunarLander-v3']) expect(runExpert(getEnv(id), 3, 7)).toEqual(runExpert(getEnv(id), 3, 7));
  });
});
