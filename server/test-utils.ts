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
