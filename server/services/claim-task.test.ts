/** Task leases: expiry returns a state to the queue, nobody sees a state twice, bad labels write nothing. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { label, query, rollout, task } from '@/db/schema';
import type { SessionUser } from '../auth';
import { callerFor, labelingProject, makeTestRuntime, makeUser, type TestRuntime } from '../test-utils';
import { claimSegment } from './claim-segment';
import { claimTask, labelerProgress, taskView } from './claim-task';
import { getTaskRollout } from './get-task-rollout';
import { submitLabel } from './submit-label';

let rt: TestRuntime;
let a: SessionUser;
let b: SessionUser;
let projectId: number;

beforeAll(async () => {
  rt = makeTestRuntime();
  a = await makeUser(rt, 'labeler', 'a');
  b = await makeUser(rt, 'labeler', 'b');
  ({ projectId } = await labelingProject(rt, {
    name: 'leases',
    config: { selection: { strategy: 'stride', k: 10, budget: 5 }, leaseSeconds: 30, goldRate: 0, policy: { hidden: [16], epochs: 5 }, evaluation: { episodes: 1, seed: 1 } },
    labelers: [a, b],
  }));
});
afterAll(() => rt.cleanup());

describe('claiming tasks', () => {
  it('hands each state to one labeler at a time, and back to the queue when the lease expires', () => {
    const t0 = 1_000_000_000_000;
    const first = claimTask(rt, a, { projectId }, t0)!;
    const other = claimTask(rt, b, { projectId }, t0)!;
    expect(other.queryId).not.toBe(first.queryId);
    // After a's lease expired, b can get a's state; a never gets it again.
    const later = t0 + 31_000;
    const seenByB = new Set([other.queryId]);
    let got: number | null = null;
    for (let i = 0; i < 5; i++) {
      const t = claimTask(rt, b, { projectId }, later);
      if (!t) break;
      seenByB.add(t.queryId);
      if (t.queryId === first.queryId) got = t.queryId;
    }
    expect(got).toBe(first.queryId);
    const aTasks = rt.db.select().from(task).where(eq(task.labelerId, a.id)).all();
    expect(new Set(aTasks.map((t) => t.queryId)).size).toBe(aTasks.length);
  });

  it('accepts a late label on an expired lease, rejects bad actions without writing, and is idempotent', () => {
    const t = rt.db.select().from(task).where(eq(task.labelerId, a.id)).get()!;
    const before = rt.db.select().from(label).all().length;
    for (const bad of [2, -1, 0.5, Number.NaN, [0]]) {
      expect(() => submitLabel(rt, a, { taskId: t.id, clientId: 'bad-action-1', action: bad as number, timeMs: 1 })).toThrow();
    }
    expect(rt.db.select().from(label).all().length).toBe(before);
    const r1 = submitLabel(rt, a, { taskId: t.id, clientId: 'late-label-1', action: 1, timeMs: 900 });
    const r2 = submitLabel(rt, a, { taskId: t.id, clientId: 'late-label-1', action: 1, timeMs: 900 });
    expect(r2).toMatchObject({ labelId: r1.labelId, duplicate: true });
    expect(rt.db.select().from(label).all().length).toBe(before + 1);
    expect(() => submitLabel(rt, b, { taskId: t.id, clientId: 'forged-task-1', action: 1, timeMs: 1 })).toThrow(/not found/);
    // One label per state: a's label is the consensus, so a agrees with it fully; b has no resolved labels.
    expect(labelerProgress(rt, a, 0)).toMatchObject({ labelsThisSession: 1, agreement: 1, agreementOver: 1 });
    expect(labelerProgress(rt, b, 0).agreement).toBeNull();
  });

  it('never lets a labeler read another project', async () => {
    const stranger = await makeUser(rt, 'labeler', 'stranger');
    expect(claimTask(rt, stranger, { projectId })).toBeNull();
    await expect(callerFor(rt, stranger).project.summary({ projectId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(rt.db.select().from(query).where(eq(query.projectId, projectId)).all().length).toBeGreaterThan(0);
  });

  it('leases a segment of the following states of the same rollout for segment labeling', async () => {
    const c = await makeUser(rt, 'labeler', 'segment');
    const api = callerFor(rt, (await makeUser(rt, 'admin', 'segadmin')));
    await api.project.addMember({ projectId, email: c.email, role: 'labeler' });
    const held = claimTask(rt, c, { projectId })!;
    const rolloutId = rt.db.select().from(query).where(eq(query.id, held.queryId)).get()!.rolloutId;
    // What the segment should add: the open states of that rollout within 30 steps after the held one.
    const expected = rt.db
      .select()
      .from(query)
      .where(eq(query.projectId, projectId))
      .all()
      .filter((q) => q.rolloutId === rolloutId && q.status === 'open' && q.t > held.t && q.t <= held.t + 30)
      .map((q) => q.t)
      .sort((x, y) => x - y);
    const seg = claimSegment(rt, c, { taskId: held.taskId, after: 30 });
    expect(seg[0]).toEqual({ taskId: held.taskId, t: held.t });
    expect(seg.slice(1).map((s) => s.t)).toEqual(expected);
    const queries = rt.db.select().from(task).where(eq(task.labelerId, c.id)).all().map((t) => t.queryId);
    expect(new Set(queries).size).toBe(queries.length); // never the same state twice
    expect(() => claimSegment(rt, b, { taskId: held.taskId })).toThrow(/not found/);
  });

  it('gives a labeler the rollout of a state they were given, and nobody else', async () => {
    // Labeler a was given states above (the queue of this project is empty by now).
    const mine = rt.db.select().from(task).where(eq(task.labelerId, a.id)).get()!;
    const held = taskView(rt, mine.id, a)!;
    expect(held.rolloutId).not.toBeNull();
    const stored = rt.db.select().from(rollout).where(eq(rollout.id, held.rolloutId!)).get()!;
    const steps = stored.steps as { state: unknown; action: unknown }[];
    const r = getTaskRollout(rt, a, { rolloutId: held.rolloutId! });
    expect(r.states).toEqual(steps.map((s) => s.state));
    expect(r.actions).toEqual(steps.map((s) => s.action));
    expect(r.states[held.t]).toEqual(held.state);
    // The project hides the learner's actions (the default), so the rollout does too.
    expect(r.policyActions).toBeNull();
    // Another labeler of the project who was never given a state of it, and a stranger, get NOT_FOUND.
    const e = await makeUser(rt, 'labeler', 'noreplay');
    await callerFor(rt, await makeUser(rt, 'admin', 'replayadmin2')).project.addMember({ projectId, email: e.email, role: 'labeler' });
    expect(() => getTaskRollout(rt, e, { rolloutId: held.rolloutId! })).toThrow(/not found/);
    await expect(callerFor(rt, e).task.rollout({ rolloutId: held.rolloutId! })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(callerFor(rt, a).task.rollout({ rolloutId: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(() => getTaskRollout(rt, a, { rolloutId: 999_999 })).toThrow(/not found/);
  });
});
