/**
 * A whole DAgger round through the real services, job handlers and trainer, with two simulated labelers
 * per state — one perfect, one wrong 20 % of the time.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetItem, deployment, policyVersion, query, round } from '@/db/schema';
import { getEnv } from '@/envs/registry';
import { callerFor, makeTestRuntime, makeUser, type TestRuntime } from '../test-utils';
import type { SessionUser } from '../auth';
import { jobHandlers } from './handlers';
import { JobRunner } from './runner';
import { runSimulatedLabelers } from './simulated-labelers';

let rt: TestRuntime;
let researcher: SessionUser;
let good: SessionUser;
let noisy: SessionUser;
let projectId: number;
let runner: JobRunner;

beforeAll(async () => {
  rt = makeTestRuntime();
  researcher = await makeUser(rt, 'researcher');
  good = await makeUser(rt, 'labeler', 'good');
  noisy = await makeUser(rt, 'labeler', 'noisy');
  const api = callerFor(rt, researcher);
  ({ id: projectId } = await api.project.create({
    name: 'LaneFollow round test',
    envId: 'LaneFollow-v0',
    config: {
      seed: 7,
      selection: { strategy: 'first', k: 60 },
      aggregation: { labelsPerState: 2, maxLabelsPerState: 3 },
      goldRate: 0.25,
      evaluation: { episodes: 3, seed: 99 },
      policy: { kind: 'categorical', hidden: [32], epochs: 15 },
    },
  }));
  await api.project.addMember({ projectId, email: good.email, role: 'labeler' });
  await api.project.addMember({ projectId, email: noisy.email, role: 'labeler' });
  runner = new JobRunner({ runtime: rt, handlers: jobHandlers() });
});
afterAll(() => rt.cleanup());

describe('a DAgger round with simulated labelers', () => {
  it('trains and deploys π₁ from scripted demonstrations (round 0)', async () => {
    const api = callerFor(rt, researcher);
    await api.round.demonstrate({ projectId, episodes: 1, thenTrain: true });
    await runner.drain();
    const p = await api.project.get({ projectId });
    expect(p.rounds[0]).toMatchObject({ index: 0, phase: 'done' });
    expect(p.versions).toHaveLength(1);
    expect(p.deployed?.version).toBe(1);
    expect(p.rounds[0]!.newItems).toBeGreaterThan(300);
  });

  it('rolls out π₁, queues its states, aggregates two labels per state, retrains and deploys π₂', async () => {
    const api = callerFor(rt, researcher);
    const { roundId } = await api.round.start({ projectId });
    await runner.drain();
    const r1 = rt.db.select().from(round).where(eq(round.id, roundId)).get()!;
    expect(r1.phase).toBe('labeling');
    const queries = rt.db.select().from(query).where(eq(query.roundId, roundId)).all();
    expect(queries.length).toBeGreaterThan(0);
    expect(queries.length).toBeLessThanOrEqual(60);

    // A labeler cannot read the project's dataset or start rounds.
    await expect(callerFor(rt, good).dataset.list({ projectId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(callerFor(rt, good).round.start({ projectId })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    await runSimulatedLabelers(
      rt,
      projectId,
      [
        { user: good, errorRate: 0, unsureRate: 0, delayMs: 0 },
        { user: noisy, errorRate: 0.2, unsureRate: 0, delayMs: 0 },
      ],
      { seed: 3 },
    );
    const after = rt.db.select().from(round).where(eq(round.id, roundId)).get()!;
    // Disagreements asked for a third label that no third labeler can give: the researcher closes the round.
    if (after.phase === 'labeling') await api.round.close({ projectId, roundId });

    const env = getEnv('LaneFollow-v0');
    const items = rt.db.select().from(datasetItem).where(and(eq(datasetItem.roundId, roundId))).all();
    expect(items.length).toBe(queries.length);
    const correct = items.filter((it) => it.action === env.expert(env.parseState(it.state))).length;
    expect(correct / items.length).toBeGreaterThanOrEqual(0.95);

    await runner.drain();
    const done = rt.db.select().from(round).where(eq(round.id, roundId)).get()!;
    expect(done.phase).toBe('done');
    expect(done.metrics).toMatchObject({ successRate: expect.any(Number), returnMean: expect.any(Number), expertAgreement: expect.any(Number) });
    const versions = rt.db.select().from(policyVersion).where(eq(policyVersion.projectId, projectId)).all();
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[1]!.parentId).toBe(versions[0]!.id);
    const deps = rt.db.select().from(deployment).where(eq(deployment.projectId, projectId)).all();
    expect(deps.at(-1)!.policyVersionId).toBe(versions[1]!.id);

    // The new version's evaluation episode is kept for replay: every state, ending with the final one.
    const replay = await api.policy.replay({ projectId, policyVersionId: versions[1]!.id });
    expect(replay.states).toHaveLength(replay.length + 1);
    expect(replay.version).toBe(2);

    // A behaviour-cloning baseline at the same label counts, drawn beside the DAgger curve.
    await api.round.baseline({ projectId });
    await runner.drain();
    const withBaseline = await api.project.get({ projectId });
    expect(withBaseline.baseline.map((b) => b.round)).toEqual([0, 1]);
    const labels1 = withBaseline.rounds[0]!.newItems + withBaseline.rounds[1]!.labels;
    expect(withBaseline.baseline[1]).toMatchObject({ labels: labels1, successRate: expect.any(Number), returnMean: expect.any(Number) });

    // Rollback: redeploy version 1.
    await api.policy.deploy({ projectId, policyVersionId: versions[0]!.id, reason: 'rollback' });
    expect((await api.project.get({ projectId })).deployed?.version).toBe(1);
  });

  it('refuses to train a round without new labels', async () => {
    const api = callerFor(rt, researcher);
    const { roundId } = await api.round.start({ projectId });
    await runner.drain();
    await expect(api.round.close({ projectId, roundId })).rejects.toThrow(/no new labels|zero new labels|0 new/i);
  });
});
