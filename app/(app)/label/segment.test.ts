import { describe, expect, it } from 'vitest';
import { keysHeldAt, medianReaction, segmentActions } from './segment';

const keys = (k: string) => ({ ArrowLeft: 2, ArrowUp: 1, ArrowRight: 0 })[k] ?? null;

describe('segment labeling', () => {
  it('tracks held keys over time', () => {
    const ev = [
      { at: 100, key: 'ArrowLeft', down: true },
      { at: 300, key: 'ArrowLeft', down: false },
    ];
    expect([...keysHeldAt(ev, 50)]).toEqual([]);
    expect([...keysHeldAt(ev, 200)]).toEqual(['ArrowLeft']);
    expect([...keysHeldAt(ev, 300)]).toEqual([]);
  });

  it('labels each frame with the key held a reaction time after it was shown', () => {
    const frames = [{ shownAt: 0 }, { shownAt: 100 }, { shownAt: 200 }, { shownAt: 300 }];
    const ev = [
      { at: 250, key: 'ArrowLeft', down: true },
      { at: 420, key: 'ArrowLeft', down: false },
      { at: 430, key: 'ArrowRight', down: true },
    ];
    // With 250 ms reaction time, frame 0 looks at t=250 (left just pressed), frame 2 at 450 (right held).
    expect(segmentActions(frames, ev, 250, keys)).toEqual([2, 2, 0, 0]);
    // Without the shift the first two frames would have had no key.
    expect(segmentActions(frames, ev, 0, keys)).toEqual([null, null, null, 2]);
  });

  it('takes the median of plausible reaction times', () => {
    expect(medianReaction([250, 40, 300, 280, 5000])).toBe(280);
    expect(medianReaction([50])).toBeNull();
  });
});
