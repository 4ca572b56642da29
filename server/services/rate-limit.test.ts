import { describe, expect, it } from 'vitest';
import { callerFor, makeTestRuntime, makeUser } from '../test-utils';
import { resetRateLimit, takeRateLimit } from './rate-limit';

describe('rate limits', () => {
  it('allows max calls per window, then refuses until the window has passed', () => {
    const scope = {};
    const results = Array.from({ length: 5 }, (_, i) => takeRateLimit(scope, 'k', 3, 1000, 10_000 + i));
    expect(results).toEqual([true, true, true, false, false]);
    expect(takeRateLimit(scope, 'other', 3, 1000, 10_004)).toBe(true);
    expect(takeRateLimit({}, 'k', 3, 1000, 10_004)).toBe(true); // another server's limits are its own
    expect(takeRateLimit(scope, 'k', 3, 1000, 10_999)).toBe(false);
    expect(takeRateLimit(scope, 'k', 3, 1000, 11_000)).toBe(true);
    resetRateLimit(scope, 'k');
    expect([1, 2, 3, 4].map(() => takeRateLimit(scope, 'k', 3, 1000, 11_001))).toEqual([true, true, true, false]);
  });

  it('answers TOO_MANY_REQUESTS to a client that claims tasks faster than a person could', async () => {
    const rt = makeTestRuntime();
    try {
      const labeler = await makeUser(rt, 'labeler');
      const caller = callerFor(rt, labeler);
      const outcomes: string[] = [];
      for (let i = 0; i < 80; i++) {
        outcomes.push(await caller.task.next({}).then(() => 'ok', (e: { code?: string }) => e.code ?? 'error'));
      }
      expect(outcomes.filter((o) => o === 'ok').length).toBeGreaterThanOrEqual(60);
      expect(outcomes).toContain('TOO_MANY_REQUESTS');
      expect(outcomes.filter((o) => o !== 'ok' && o !== 'TOO_MANY_REQUESTS')).toEqual([]);
    } finally {
      rt.cleanup();
    }
  });

  it('limits label submissions per labeler to LABEL_RATE_LIMIT a second, refusing with nothing stored', async () => {
    const rt = makeTestRuntime();
    rt.config.LABEL_RATE_LIMIT = 3;
    try {
      const labeler = await makeUser(rt, 'labeler');
      const caller = callerFor(rt, labeler);
      // Each call is refused anyway (no such task); the limit is checked first, so the 4th is a 429.
      const outcomes: string[] = [];
      for (let i = 0; i < 5; i++) {
        outcomes.push(await caller.label.submit({ taskId: 1, clientId: `limit-test-${i}`, action: 0, timeMs: 1 }).then(() => 'ok', (e: { code?: string }) => e.code ?? 'error'));
      }
      expect(outcomes.slice(0, 3)).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
      expect(outcomes.slice(3)).toEqual(['TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
    } finally {
      rt.cleanup();
    }
  });
});
