/**
 * `npm run bench:turnaround`: round turnaround — from the last label of a round to the new policy deployed
 * (aggregation, training in a worker_thread, evaluation, deployment) — on a ~50 k-sample LaneFollow-v0
 * dataset with a 2×256 MLP trained for 20 epochs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { round } from '../db/schema';
import { createUser } from '../server/auth';
import { jobHandlers } from '../server/jobs/handlers';
import { JobRunner } from '../server/jobs/runner';
import { runSimulatedLabelers } from '../server/jobs/simulated-labelers';
import { createRuntime } from '../server/runtime';
import { addProjectMember } from '../server/services/add-project-member';
import { claimTask } from '../server/services/claim-task';
import { createProject } from '../server/services/create-project';
import { deployedPolicy } from '../server/services/deploy-policy';
import { getProject } from '../server/services/get-project';
import { requestDemonstrations } from '../server/services/request-demonstrations';
import { startRound } from '../server/services/start-round';
import { submitLabel } from '../server/services/submit-label';
import { getEnv } from '../envs/registry';

const EPISODES = Number(process.env.BENCH_EPISODES ?? 125); // 125 × 400 steps = 50 000 samples
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dagger-turnaround-'));
const rt = createRuntime({ dataDir: dir, baseUrl: 'http://localhost', authSecret: 'bench-secret-bench-secret-bench-secret-00', JOB_LEASE_MS: 60_000 }, { rateLimit: false });
const runner = new JobRunner({ runtime: rt, handlers: jobHandlers() });
const researcher = await createUser(rt.db, rt.auth, { email: 'r@bench.local', password: 'benchmark', name: 'R', role: 'researcher' });
const labeler = await createUser(rt.db, rt.auth, { email: 'l@bench.local', password: 'benchmark', name: 'L', role: 'labeler' });
const { id: projectId } = createProject(rt, researcher, {
  name: 'turnaround',
  envId: 'LaneFollow-v0',
  config: {
    selection: { strategy: 'first', k: 100, budget: 100 },
    rolloutEpisodes: 3,
    evaluation: { episodes: 20, seed: 1 },
    policy: { kind: 'categorical', hidden: [256, 256], epochs: 20, patience: 0, batchSize: 256 },
  },
});
addProjectMember(rt, { projectId, email: labeler.email, role: 'labeler' });

let t0 = performance.now();
requestDemonstrations(rt, { projectId, episodes: EPISODES, thenTrain: true });
await runner.drain();
const round0 = getProject(rt.db, projectId).rounds[0]!;
console.log(`round 0: ${round0.newItems} demonstration samples, recorded + trained + evaluated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

startRound(rt, { projectId });
await runner.drain();
const r1 = rt.db.select().from(round).where(and(eq(round.projectId, projectId), eq(round.index, 1))).get()!;
// Everything but the last state is labelled first; the clock starts at the last label.
const queries = getProject(rt.db, projectId).rounds[1]!.queries;
await runSimulatedLabelers(rt, projectId, [{ user: labeler, errorRate: 0, unsureRate: 0, delayMs: 0 }], { seed: 1, maxLabels: queries - 1 });
const last = claimTask(rt, labeler, { projectId })!;
const env = getEnv('LaneFollow-v0');
const before = deployedPolicy(rt.db, projectId)!.version;
t0 = performance.now();
submitLabel(rt, labeler, { taskId: last.taskId, clientId: 'bench-last-label', action: env.expert(env.parseState(last.state)), timeMs: 500, mode: 'key' });
await runner.drain();
const seconds = (performance.now() - t0) / 1000;
const after = getProject(rt.db, projectId);
const v = after.deployed!;
const m = (v.metrics ?? {}) as Record<string, number>;
console.log(
  JSON.stringify({
    dataset_size: v.datasetSize,
    hidden: [256, 256],
    epochs: m.epochs,
    train_seconds: +(Number(m.trainSeconds ?? 0)).toFixed(2),
    turnaround_seconds: +seconds.toFixed(2),
    deployed_version: `${before} → ${v.version}`,
    round: after.rounds.find((x) => x.id === r1.id)!.phase,
  }),
);
rt.db.$client.close();
fs.rmSync(dir, { recursive: true, force: true });
