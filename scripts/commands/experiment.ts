/**
 * `cli experiment`: runs DAgger (or the behaviour-cloning baseline with the same label budget) end to end
 * with simulated labelers, through the real services, jobs and trainer, against a database file (a
 * temporary one unless --db is given). Prints one JSON object per round.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { and, eq } from 'drizzle-orm';
import { round } from '../../db/schema';
import { getEnv } from '../../envs/registry';
import { createUser, type SessionUser } from '../../server/auth';
import { parseSelection } from '../../server/dagger/selection';
import { deriveSeed } from '../../server/dagger/rng';
import { jobHandlers } from '../../server/jobs/handlers';
import { JobRunner } from '../../server/jobs/runner';
import { runSimulatedLabelers, type SimulatedLabeler } from '../../server/jobs/simulated-labelers';
import { createRuntime, type Runtime } from '../../server/runtime';
import { addProjectMember } from '../../server/services/add-project-member';
import { closeRound } from '../../server/services/close-round';
import { createProject } from '../../server/services/create-project';
import { getProject } from '../../server/services/get-project';
import { requestDemonstrations } from '../../server/services/request-demonstrations';
import { startRound } from '../../server/services/start-round';

const HELP = `Usage: npm run cli -- experiment --env ID [options]

  --algo dagger|bc          DAgger, or behaviour cloning with the same number of expert labels (dagger)
  --rounds R                DAgger rounds after round 0 (3)
  --demo-episodes E         scripted expert episodes in round 0 (1)
  --labels-per-round K      states labelled per round (100)
  --selection S             all | stride:k | random | uncertainty | prefailure:k | first:k   (first:K)
  --rollout-episodes N      learner rollouts per round; selection takes states from them in order up to K (5)
  --labeler oracle[:err]    simulated expert labeler with an error rate (oracle)
  --labelers N              simulated labelers; each state gets one label per labeler (1)
  --beta SPEC               constant:b | linear:b0:rounds | exponential:p   (constant:0)
  --policy P                categorical | gaussian | mixture (from the action space)
  --hidden 64,64            hidden layer sizes
  --epochs N                training epochs (project default)
  --eval-episodes N         evaluation episodes on fixed unseen seeds (30)
  --seed S                  experiment seed (0)
  --db FILE                 database file (default: a temporary directory, removed afterwards)
  --json                    one JSON object per line (default: also JSON, plus a summary table on stderr)`;

function parseBeta(spec: string) {
  const [kind, a, b] = spec.split(':');
  if (kind === 'constant') return { kind: 'constant', beta: Number(a ?? 0) };
  if (kind === 'linear') return { kind: 'linear', beta0: Number(a ?? 1), rounds: Number(b ?? 5) };
  if (kind === 'exponential' || kind === 'exp') return { kind: 'exponential', p: Number(a ?? 0.5) };
  throw new Error(`--beta: expected constant:b, linear:b0:rounds or exponential:p (got ${spec})`);
}

export async function run(argv: string[]): Promise<void> {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      env: { type: 'string' },
      algo: { type: 'string', default: 'dagger' },
      rounds: { type: 'string', default: '3' },
      'demo-episodes': { type: 'string', default: '1' },
      'labels-per-round': { type: 'string', default: '100' },
      selection: { type: 'string' },
      'rollout-episodes': { type: 'string', default: '5' },
      labeler: { type: 'string', default: 'oracle' },
      labelers: { type: 'string', default: '1' },
      beta: { type: 'string', default: 'constant:0' },
      policy: { type: 'string' },
      hidden: { type: 'string' },
      epochs: { type: 'string' },
      'eval-episodes': { type: 'string', default: '30' },
      seed: { type: 'string', default: '0' },
      db: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (v.help) return void console.log(HELP);
  if (!v.env) throw new Error('--env is required (see --help)');
  const env = getEnv(v.env);
  const int = (name: string, s: string | undefined, min = 0) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min} (got ${s})`);
    return n;
  };
  const algo = v.algo;
  if (algo !== 'dagger' && algo !== 'bc') throw new Error(`--algo must be dagger or bc (got ${algo})`);
  const rounds = int('rounds', v.rounds);
  const demoEpisodes = int('demo-episodes', v['demo-episodes'], 1);
  const K = int('labels-per-round', v['labels-per-round'], 1);
  const seed = int('seed', v.seed);
  const nLabelers = int('labelers', v.labelers, 1);
  const labelerMatch = /^oracle(?::([0-9.]+))?$/.exec(v.labeler ?? '');
  if (!labelerMatch) throw new Error(`--labeler must be oracle or oracle:<error rate> (got ${v.labeler})`);
  const errorRate = Number(labelerMatch[1] ?? 0);
  // Every strategy is capped at K states per round, so each round costs the same label budget.
  const selection = { ...parseSelection(v.selection ?? `first:${K}`), budget: K };
  const policyKind = v.policy ?? (env.actionSpace.kind === 'discrete' ? 'categorical' : 'gaussian');

  const dir = v.db ? path.dirname(path.resolve(v.db)) : fs.mkdtempSync(path.join(os.tmpdir(), 'dagger-exp-'));
  const rt = createRuntime(
    { dataDir: dir, baseUrl: 'http://localhost', authSecret: 'experiment-secret-experiment-secret-0000', JOB_LEASE_MS: 60_000 },
    { rateLimit: false, dbPath: v.db ? path.resolve(v.db) : undefined },
  );
  try {
    const researcher = await createUser(rt.db, rt.auth, { email: `researcher-${Date.now()}@exp.local`, password: 'experiment', name: 'Researcher', role: 'researcher' });
    const { id: projectId } = createProject(rt, researcher, {
      name: `experiment ${v.env} ${algo} seed ${seed}`,
      envId: v.env,
      config: {
        seed,
        selection,
        beta: parseBeta(v.beta!),
        rolloutEpisodes: int('rollout-episodes', v['rollout-episodes'], 1),
        aggregation: { labelsPerState: nLabelers, maxLabelsPerState: nLabelers },
        goldRate: 0,
        autoDeploy: true,
        evaluation: { episodes: int('eval-episodes', v['eval-episodes'], 1), seed: 1_000_000 + seed },
        policy: {
          kind: policyKind,
          ...(v.hidden ? { hidden: v.hidden.split(',').map((h) => int('hidden', h, 1)) } : {}),
          ...(v.epochs ? { epochs: int('epochs', v.epochs, 1) } : {}),
        },
      },
    });
    const labelers: SimulatedLabeler[] = [];
    for (let i = 0; i < nLabelers; i++) {
      const user: SessionUser = await createUser(rt.db, rt.auth, { email: `sim${i}-${Date.now()}@exp.local`, password: 'experiment', name: `sim${i}`, role: 'labeler' });
      addProjectMember(rt, { projectId, email: user.email, role: 'labeler' });
      labelers.push({ user, errorRate, unsureRate: 0, delayMs: 0 });
    }
    const runner = new JobRunner({ runtime: rt, handlers: jobHandlers() });
    const drain = async () => {
      const t0 = performance.now();
      await runner.drain();
      return (performance.now() - t0) / 1000;
    };
    const report = (index: number, timing: { rollout: number; training: number; total: number }) => {
      const p = getProject(rt.db, projectId);
      const r = p.rounds.find((x) => x.index === index);
      if (!r) throw new Error(`round ${index} missing`);
      if (r.phase !== 'done') throw new Error(`round ${index} ended in phase ${r.phase}${r.error ? `: ${r.error}` : ''}`);
      const m = (r.metrics ?? {}) as Record<string, number>;
      // Expert labels used so far: demonstrations count one label per state, DAgger rounds their labels.
      const labelsTotal = p.rounds.filter((x) => x.index <= index).reduce((a, x) => a + (x.index === 0 || x.labels === 0 ? x.newItems : x.labels), 0);
      const row = {
        algo,
        env: v.env,
        seed,
        round: index,
        labels_total: labelsTotal,
        dataset_size: r.datasetSize,
        return_mean: m.returnMean,
        return_std: m.returnStd,
        success_rate: m.successRate,
        expert_agreement: m.expertAgreement,
        train_loss: m.trainLoss,
        val_loss: m.valLoss,
        seconds: { rollout: round3(timing.rollout), training: round3(timing.training), total: round3(timing.total) },
      };
      console.log(JSON.stringify(row));
      return row;
    };

    // Round 0: demonstrations, then behaviour cloning.
    let t0 = performance.now();
    requestDemonstrations(rt, { projectId, episodes: demoEpisodes, seed: deriveSeed(seed, 'demos') });
    await drain();
    const r0 = rt.db.select().from(round).where(and(eq(round.projectId, projectId), eq(round.index, 0))).get()!;
    closeRound(rt, { projectId, roundId: r0.id });
    const train0 = await drain();
    report(0, { rollout: 0, training: train0, total: (performance.now() - t0) / 1000 });

    for (let i = 1; i <= rounds; i++) {
      t0 = performance.now();
      if (algo === 'dagger') {
        startRound(rt, { projectId });
        const rolloutSec = await drain();
        await runSimulatedLabelers(rt, projectId, labelers, { seed: deriveSeed(seed, 'labelers', i) });
        const ri = rt.db.select().from(round).where(and(eq(round.projectId, projectId), eq(round.index, i))).get()!;
        if (ri.phase === 'labeling') closeRound(rt, { projectId, roundId: ri.id });
        const trainSec = await drain();
        report(i, { rollout: rolloutSec, training: trainSec, total: (performance.now() - t0) / 1000 });
      } else {
        // Behaviour cloning with the same budget: K more expert-labelled states from fresh expert episodes.
        await addExpertStates(rt, projectId, K, deriveSeed(seed, 'bc', i));
        const trainSec = await drain();
        report(i, { rollout: 0, training: trainSec, total: (performance.now() - t0) / 1000 });
      }
    }
  } finally {
    rt.db.$client.close();
    if (!v.db) fs.rmSync(dir, { recursive: true, force: true });
  }
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** BC baseline round: a new round holding K expert states (the first K of fresh expert episodes). */
async function addExpertStates(rt: Runtime, projectId: number, K: number, seed: number): Promise<void> {
  const { addDemonstrationRound } = await import('../../server/services/add-demonstration-round');
  await addDemonstrationRound(rt, { projectId, states: K, seed });
}
