/**
 * Every procedure against every kind of caller: anonymous callers, a labeler of the project, and a
 * researcher of another project. Each must be refused (UNAUTHORIZED / FORBIDDEN / NOT_FOUND) before it
 * touches the project, except the few procedures meant for them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from './root';
import { callerFor, makeTestRuntime, makeUser, type TestRuntime } from '../test-utils';
import type { SessionUser } from '../auth';

let rt: TestRuntime;
let projectId: number;
let labeler: SessionUser;
let outsider: SessionUser;

/** Procedures anyone (signed in or not) may call. */
const PUBLIC = new Set(['user.me', 'invite.describe', 'invite.accept']);
/** Procedures a signed-in labeler may call (their own queue, labels and progress; a project summary). */
const LABELER = new Set(['user.whoami', 'project.envs', 'project.list', 'project.summary', 'task.next', 'task.skip', 'task.progress', 'task.crowd', 'task.segment', 'task.rollout', 'label.submit', 'label.undo']);
/** Researcher procedures that are not scoped to one project. */
const GLOBAL_RESEARCHER = new Set(['project.create']);
const ADMIN = new Set(['user.list', 'user.create']);

const procedures = Object.keys((appRouter as unknown as { _def: { procedures: Record<string, unknown> } })._def.procedures).sort();

async function call(user: SessionUser | null, path: string, input: unknown) {
  const caller = callerFor(rt, user) as unknown as Record<string, Record<string, (i: unknown) => Promise<unknown>>>;
  const [group, name] = path.split('.') as [string, string];
  return caller[group]![name]!(input);
}

beforeAll(async () => {
  rt = makeTestRuntime();
  const researcher = await makeUser(rt, 'researcher');
  labeler = await makeUser(rt, 'labeler');
  outsider = await makeUser(rt, 'researcher');
  const api = callerFor(rt, researcher);
  ({ id: projectId } = await api.project.create({ name: 'guarded', envId: 'CartPole-v1', config: {} }));
  await api.project.addMember({ projectId, email: labeler.email, role: 'labeler' });
  await callerFor(rt, outsider).project.create({ name: 'elsewhere', envId: 'CartPole-v1', config: {} });
});
afterAll(() => rt.cleanup());

describe('access control of every procedure', () => {
  it('covers the whole router', () => {
    expect(procedures.length).toBeGreaterThan(30);
  });

  for (const path of procedures) {
    it(`${path}`, async () => {
      const input = { projectId, roundId: 1, itemId: 1, taskId: 1, labelId: 1, policyVersionId: 1, inviteId: 1, tokenId: 1, rolloutId: 1, since: 0 };
      if (!PUBLIC.has(path)) {
        await expect(call(null, path, input), 'anonymous').rejects.toMatchObject({ code: 'UNAUTHORIZED' });
      }
      if (!PUBLIC.has(path) && !LABELER.has(path)) {
        await expect(call(labeler, path, input), 'labeler').rejects.toMatchObject({ code: 'FORBIDDEN' });
      }
      const projectScoped = !PUBLIC.has(path) && !LABELER.has(path) && !GLOBAL_RESEARCHER.has(path) && !ADMIN.has(path);
      if (projectScoped) {
        await expect(call(outsider, path, input), 'researcher of another project').rejects.toMatchObject({ code: 'NOT_FOUND' });
      }
    });
  }

  it('labelers see nothing of other projects: their summary of a project they are not in is NOT_FOUND', async () => {
    const other = await makeUser(rt, 'labeler');
    await expect(callerFor(rt, other).project.summary({ projectId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
