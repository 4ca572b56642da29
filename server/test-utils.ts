/** Test helpers: a runtime on a temporary data directory, and signed-in tRPC callers for each role. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Role } from '@/db/schema';
import { createCaller } from './api/root';
import { createInnerContext } from './api/trpc';
import { createUser, type SessionUser } from './auth';
import { createRuntime, type Runtime } from './runtime';

export interface TestRuntime extends Runtime {
  cleanup(): void;
}

export function makeTestRuntime(opts: { rateLimit?: boolean; signInPerMinute?: number } = {}): TestRuntime {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dagger-test-'));
  const rt = createRuntime(
    { dataDir, baseUrl: 'http://localhost:3999', authSecret: 'test-secret-test-secret-test-secret-0123', JOB_LEASE_MS: 2_000, SIGNIN_RATE_LIMIT: opts.signInPerMinute },
    { rateLimit: opts.rateLimit ?? false },
  );
  return {
    ...rt,
    cleanup() {
      rt.db.$client.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
export async function makeUser(rt: Runtime, role: Role, name = `${role}${++counter}`): Promise<SessionUser> {
  return createUser(rt.db, rt.auth, { email: `${name}-${counter}@test.local`.toLowerCase(), password: 'password123', name, role });
}

export function callerFor(rt: Runtime, user: SessionUser | null) {
  return createCaller(createInnerContext(rt, user));
}

/**
 * A CartPole project whose round 1 is labeling: created by a new researcher with `config`, these labelers
 * added, one scripted demonstration trained into π₁, then round 1 rolled out and queued (jobs run here).
 */
export async function labelingProject(rt: Runtime, opts: { name: string; config: Record<string, unknown>; labelers: SessionUser[] }): Promise<{ projectId: number; researcher: SessionUser }> {
  const { JobRunner } = await import('./jobs/runner');
  const { jobHandlers } = await import('./jobs/handlers');
  const researcher = await makeUser(rt, 'researcher');
  const api = callerFor(rt, researcher);
  const { id: projectId } = await api.project.create({ name: opts.name, envId: 'CartPole-v1', config: opts.config });
  for (const u of opts.labelers) await api.project.addMember({ projectId, email: u.email, role: 'labeler' });
  const runner = new JobRunner({ runtime: rt, handlers: jobHandlers() });
  await api.round.demonstrate({ projectId, episodes: 1, thenTrain: true });
  await runner.drain();
  await api.round.start({ projectId });
  await runner.drain();
  return { projectId, researcher };
}
