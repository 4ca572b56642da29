import { describe, expect, it } from 'vitest';
import type { ActionSpace } from '@/envs/types';
import { actionsMatch, datasetHash, expertAgreement, meanStd } from './metrics';

const box: ActionSpace = { kind: 'box', size: 1, low: [-1], high: [1], names: ['u'] };

describe('metrics', () => {
  it('mean and population std', () => {
    expect(meanStd([1, 2, 3, 4])).toEqual({ mean: 2.5, std: Math.sqrt(1.25) });
  });
  it('agreement with tolerance for continuous actions', () => {
    expect(actionsMatch(box, [0.5], [0.59])).toBe(true);
    expect(actionsMatch(box, [0.5], [0.7])).toBe(false);
    expect(expertAgreement({ kind: 'discrete', n: 2, names: ['l', 'r'], keys: ['a', 'd'] }, [{ policy: 1, expert: 1 }, { policy: 0, expert: 1 }])).toBe(0.5);
  });
  it('hashes datasets stably and sensitively', () => {
    const a = datasetHash([{ id: 1, action: 0 }, { id: 2, action: 1 }]);
    expect(a).toBe(datasetHash([{ id: 1, action: 0 }, { id: 2, action: 1 }]));
    expect(a).not.toBe(datasetHash([{ id: 1, action: 0 }, { id: 2, action: 2 }]));
    expect(a).toMatch(/^[0-9a-f]{28}$/);
  });
});
