import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestRuntime, type TestRuntime } from '../test-utils';
import { claimJob, completeJob, enqueueJob, failJob, getJob, reportProgress } from './queue';
import { JobRunner } from './runner';

let rt: TestRuntime;
beforeEach(() => {
  rt = makeTestRuntime();
});
afterEach(() => rt.cleanup());

describe('job queue', () => {
  it('claims the oldest job once, with a lease', () => {
    const a = enqueueJob(rt.db, { type: 't', payload: { n: 1 } }, 1000);
    enqueueJob(rt.db, { type: 't', payload: { n: 2 } }, 1001);
    const c1 = claimJob(rt.db, 'w1', 5000, undefined, 2000);
    const c2 = claimJob(rt.db, 'w2', 5000, undefined, 2000);
    expect(c1?.id).toBe(a.id);
    expect(c1?.leaseExpiresAt).toBe(7000);
    expect(c2?.id).not.toBe(a.id);
    expect(claimJob(rt.db, 'w3', 5000, undefined, 2000)).toBeNull();
  });

  it('lets another worker take over an expired lease, and refuses the old owner', () => {
    const j = enqueueJob(rt.db, { type: 't', payload: null }, 0);
    expect(claimJob(rt.db, 'w1', 1000, undefined, 0)?.id).toBe(j.id);
    expect(claimJob(rt.db, 'w2', 1000, undefined, 500)).toBeNull(); // lease still valid
    const taken = claimJob(rt.db, 'w2', 1000, undefined, 1500);
    expect(taken?.id).toBe(j.id);
    expect(taken?.attempts).toBe(2);
    expect(reportProgress(rt.db, j.id, 'w1', 1000, { fraction: 0.5 }, 1600)).toBe(false);
    expect(completeJob(rt.db, j.id, 'w1', 'zombie', 1700)).toBe(false);
    expect(completeJob(rt.db, j.id, 'w2', 'ok', 1800)).toBe(true);
    expect(getJob(rt.db, j.id)).toMatchObject({ state: 'done', result: 'ok', progress: 1 });
  });

  it('retries a failed job until its attempts are used', () => {
    const j = enqueueJob(rt.db, { type: 't', payload: null, maxAttempts: 2 }, 0);
    claimJob(rt.db, 'w', 1000, undefined, 0);
    expect(failJob(rt.db, j.id, 'w', 'boom')?.state).toBe('queued');
    claimJob(rt.db, 'w', 1000, undefined, 10);
    expect(failJob(rt.db, j.id, 'w', 'boom again')).toMatchObject({ state: 'failed', error: 'boom again' });
  });

  it('enqueues a deduplicated job once', () => {
    const a = enqueueJob(rt.db, { type: 't', payload: 1, dedupeKey: 'round:1:train' });
    const b = enqueueJob(rt.db, { type: 't', payload: 2, dedupeKey: 'round:1:train' });
    expect(b.id).toBe(a.id);
  });

  it('runs handlers, reports progress and records errors', async () => {
    const seen: number[] = [];
    const runner = new JobRunner({
      runtime: rt,
      handlers: {
        square: async (payload, ctx) => {
          ctx.progress({ fraction: 0.5, message: 'half way' });
          seen.push(getJob(rt.db, ctx.job.id)!.progress);
          const n = (payload as { n: number }).n;
          return n * n;
        },
        explode: async () => {
          throw new Error('handler failed');
        },
      },
    });
    const a = enqueueJob(rt.db, { type: 'square', payload: { n: 7 } });
    const b = enqueueJob(rt.db, { type: 'explode', payload: null, maxAttempts: 1 });
    expect(await runner.drain()).toBe(2);
    expect(seen).toEqual([0.5]);
    expect(getJob(rt.db, a.id)).toMatchObject({ state: 'done', result: 49 });
    expect(getJob(rt.db, b.id)).toMatchObject({ state: 'failed', error: 'handler failed' });
  });
});
