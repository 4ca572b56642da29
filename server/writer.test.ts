/**
 * The writer thread: the same writes as on the request thread, answered after COMMIT, errors that come back
 * as the same kinds, and a request thread that carries on by itself if the writer thread dies.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { label, task } from '@/db/schema';
import type { SessionUser } from './auth';
import { DomainError } from './errors';
import { claimTask } from './services/claim-task';
import { callerFor, labelingProject, makeTestRuntime, makeUser, type TestRuntime } from './test-utils';
import { runWrite, startWriter, type WriterThread } from './writer';

let rt: TestRuntime;
let a: SessionUser;
let b: SessionUser;
let projectId: number;
let writer: WriterThread;

beforeAll(async () => {
  rt = makeTestRuntime();
  a = await makeUser(rt, 'labeler', 'writer-a');
  b = await makeUser(rt, 'labeler', 'writer-b');
  ({ projectId } = await labelingProject(rt, {
    name: 'writer',
    config: { selection: { strategy: 'stride', k: 2, budget: 20 }, rolloutEpisodes: 3, goldRate: 0, policy: { hidden: [16], epochs: 5 }, evaluation: { episodes: 1, seed: 1 } },
    labelers: [a, b],
  }));
  writer = startWriter(rt);
});
afterAll(async () => {
  await writer?.stop();
  rt.cleanup();
});

describe('the writer thread', () => {
  it('claims and labels on its own connection; the answers are committed when they arrive', async () => {
    expect(rt.writer).toBe(writer);
    const [ta, tb] = await Promise.all([runWrite(rt, 'claimTask', a, { projectId }), runWrite(rt, 'claimTask', b, { projectId })]);
    expect(ta!.queryId).not.toBe(tb!.queryId);
    // Committed: this thread's own connection sees both leases at once.
    expect(rt.db.select().from(task).where(eq(task.id, ta!.taskId)).get()).toMatchObject({ labelerId: a.id, state: 'leased' });
    const [sub, again] = await Promise.all([
      runWrite(rt, 'submitLabel', a, { taskId: ta!.taskId, clientId: 'writer-thread-1', action: 1, timeMs: 10 }),
      runWrite(rt, 'submitLabel', a, { taskId: ta!.taskId, clientId: 'writer-thread-1', action: 1, timeMs: 10 }),
    ]);
    expect(sub.duplicate).toBe(false);
    expect(again).toEqual({ ...sub, duplicate: true, resolved: false });
    expect(rt.db.select().from(label).where(eq(label.clientId, 'writer-thread-1')).all()).toHaveLength(1);
    // Same result as the request thread computes for the same labeler.
    const view = claimTask(rt, a, { projectId });
    expect(Object.keys(view!).sort()).toEqual(Object.keys(ta!).sort());
  });

  it('sends refusals back as the same errors, and a refused write stores nothing', async () => {
    const before = rt.db.select().from(label).all().length;
    const forged = runWrite(rt, 'submitLabel', b, { taskId: 999_999, clientId: 'writer-forged', action: 0, timeMs: 1 });
    await expect(forged).rejects.toBeInstanceOf(DomainError);
    await expect(forged).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const mine = rt.db.select().from(task).where(eq(task.labelerId, b.id)).get()!;
    await expect(runWrite(rt, 'submitLabel', b, { taskId: mine.id, clientId: 'writer-bad', action: 5, timeMs: 1 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(rt.db.select().from(label).all().length).toBe(before);
    // Through tRPC, the same refusal is the same 4xx as without a writer thread.
    await expect(callerFor(rt, b).label.submit({ taskId: 999_999, clientId: 'writer-forged-2', action: 0, timeMs: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('carries on alone if the writer thread dies, restarting the WAL as the writer did', async () => {
    const crashing = startWriter(rt, { walRestartMs: 50 });
    const t = await runWrite(rt, 'claimTask', a, { projectId });
    expect(crashing.running).toBe(true);
    // The thread dies (not stopped): its pending and later writes run here.
    await (crashing as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await vi.waitUntil(() => !crashing.running, { timeout: 5000 });
    expect(crashing.running).toBe(false);
    const r = await runWrite(rt, 'submitLabel', a, { taskId: t!.taskId, clientId: 'writer-crashed', action: 0, timeMs: 1 });
    expect(r.duplicate).toBe(false);
    await vi.waitUntil(() => crashing.walRestarts > 0, { timeout: 5000, interval: 25 });
    expect(crashing.walRestarts).toBeGreaterThan(0);
    await crashing.stop();
    rt.writer = writer;
  });

  it('falls back to the request thread when the writer thread is gone', async () => {
    await writer.stop();
    expect(writer.running).toBe(false);
    const t = await runWrite(rt, 'claimTask', b, { projectId });
    expect(t).not.toBeNull();
    const r = await runWrite(rt, 'submitLabel', b, { taskId: t!.taskId, clientId: 'writer-after-stop', action: 0, timeMs: 1 });
    expect(r.duplicate).toBe(false);
  });
});
