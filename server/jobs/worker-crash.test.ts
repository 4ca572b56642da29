/**
 * Crash safety of the job worker as its own process (`npm run worker`): the worker is killed (SIGKILL) in
 * the middle of training; a new worker takes the job over once the lease expires; the round finishes with
 * exactly one new policy version, and the previously deployed policy served until the new one was ready.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { job, policyVersion, round } from '@/db/schema';
import { callerFor, makeTestRuntime, makeUser, type TestRuntime } from '../test-utils';
import { deployedPolicy } from '../services/deploy-policy';
import { jobHandlers } from './handlers';
import { JobRunner } from './runner';
import { runSimulatedLabelers } from './simulated-labelers';

const root = path.resolve(import.meta.dirname, '..', '..');
let rt: TestRuntime;
const children: ChildProcess[] = [];

function startWorker(): ChildProcess {
  // `node --import tsx` runs the worker in this very process (the tsx CLI would add a child process that
  // survives a SIGKILL of its parent).
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'worker.ts')], {
    cwd: root,
    // BASE_URL is set explicitly: vitest puts Vite's BASE_URL="/" into the environment.
    env: { ...process.env, DATA_DIR: rt.config.dataDir, AUTH_SECRET: rt.config.authSecret, JOB_LEASE_MS: '1500', BASE_URL: 'http://localhost:3999' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', () => {});
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(d));
  children.push(child);
  return child;
}

async function until<T>(what: string, f: () => T | undefined | null | false, timeoutMs = 90_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(() => {
  rt = makeTestRuntime();
});
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rt.cleanup();
});

describe('worker killed during training', () => {
  it('finishes the round once after a restart, keeping the old policy deployed meanwhile', async () => {
    const researcher = await makeUser(rt, 'researcher');
    const api = callerFor(rt, researcher);
    const { id: projectId } = await api.project.create({
      name: 'crash test',
      envId: 'CartPole-v1',
      config: {
        seed: 1,
        selection: { strategy: 'all' },
        evaluation: { episodes: 2, seed: 5 },
        // Enough epochs that the kill lands mid-training.
        policy: { kind: 'categorical', hidden: [64, 64], epochs: 300, patience: 1000 },
      },
    });
    // Round 0 and round 1's rollout and labels in-process, so π₁ is deployed before the crash.
    const quick = new JobRunner({ runtime: rt, handlers: jobHandlers() });
    await api.round.demonstrate({ projectId, episodes: 1, thenTrain: true });
    await quick.drain();
    const v1 = deployedPolicy(rt.db, projectId);
    expect(v1?.version).toBe(1);
    const labeler = await makeUser(rt, 'labeler');
    await api.project.addMember({ projectId, email: labeler.email, role: 'labeler' });
    const { roundId } = await api.round.start({ projectId });
    await quick.drain();
    await runSimulatedLabelers(rt, projectId, [{ user: labeler, errorRate: 0, unsureRate: 0, delayMs: 0 }], { seed: 1 });
    const r1 = rt.db.select().from(round).where(eq(round.id, roundId)).get()!;
    expect(r1.phase).toBe('training');
    const trainJob = rt.db.select().from(job).where(and(eq(job.type, 'round.train'), eq(job.dedupeKey, `round:${roundId}:train`))).get()!;

    const first = startWorker();
    await until('training to report progress', () => {
      if (first.exitCode !== null) throw new Error(`the worker exited early with code ${first.exitCode}`);
      const j = rt.db.select().from(job).where(eq(job.id, trainJob.id)).get();
      return j && j.state === 'running' && j.progress > 0.05;
    });
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    // Killed mid-training: no new version, π₁ still serves.
    expect(rt.db.select().from(policyVersion).where(eq(policyVersion.projectId, projectId)).all()).toHaveLength(1);
    expect(deployedPolicy(rt.db, projectId)?.id).toBe(v1!.id);

    startWorker();
    const done = await until('the round to finish', () => {
      const r = rt.db.select().from(round).where(eq(round.id, roundId)).get();
      return r?.phase === 'done' ? r : null;
    }, 180_000);
    expect(done.trainedPolicyVersionId).not.toBeNull();
    const versions = rt.db.select().from(policyVersion).where(eq(policyVersion.projectId, projectId)).all();
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    const j = rt.db.select().from(job).where(eq(job.id, trainJob.id)).get()!;
    expect(j.state).toBe('done');
    expect(j.attempts).toBe(2);
    expect(deployedPolicy(rt.db, projectId)?.id).toBe(versions[1]!.id);
  }, 300_000);
});
