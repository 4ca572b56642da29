/** Each scripted expert reaches its environment's threshold over 100 seeded episodes. */
import { describe, expect, it } from 'vitest';
import { getEnv } from './registry';
import { runExpert } from './run-expert';

const CASES: [string, (r: { returnMean: number; successRate: number }) => void][] = [
  ['CartPole-v1', (r) => expect(r.returnMean).toBeGreaterThanOrEqual(475)],
  ['MountainCar-v0', (r) => expect(r.returnMean).toBeGreaterThanOrEqual(-110)],
  ['MountainCarContinuous-v0', (r) => expect(r.returnMean).toBeGreaterThanOrEqual(90)],
  ['Acrobot-v1', (r) => expect(r.returnMean).toBeGreaterThanOrEqual(-100)],
  // No Gymnasium threshold; the reference expert scores −142 ± 85 on Gymnasium's own code.
  ['Pendulum-v1', (r) => expect(r.returnMean).toBeGreaterThan(-250)],
  ['LaneFollow-v0', (r) => expect(r.successRate).toBe(1)],
];

describe('scripted experts', () => {
  for (const [id, check] of CASES) {
    it(`${id} over 100 seeded episodes`, () => {
      const r = runExpert(getEnv(id), 100, 12345);
      check(r);
    });
  }
});
