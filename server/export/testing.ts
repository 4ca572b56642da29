/**
 * Test fixture for the dataset exports: two real projects built through the services, job handlers and
 * trainer, on a temporary data directory.
 *
 * - `discrete` (CartPole-v1): two scripted demonstrations (round 0), a DAgger round labelled by two
 *   simulated labelers (one wrong 20 % of the time), a second round in which one round-1 item is sent back
 *   for relabeling (so one rollout holds items of two rounds), and one excluded demonstration item.
 * - `box` (external project, 3 observations, 2 continuous actions): two demonstration episodes imported as
 *   JSONL with rewards, drawn from a seeded generator.
 */
import { and, asc, eq } from 'drizzle-orm';
import { datasetItem, rollout, round } from '@/db/schema';
import type { SessionUser } from '../auth';
import { createRng } from '../dagger/rng';
import { jobHandlers } from '../jobs/handlers';
import { JobRunner } from '../jobs/runner';
import { runSimulatedLabelers } from '../jobs/simulated-labelers';
import { callerFor, makeTestRuntime, makeUser, type TestRuntime } from '../test-utils';
import { crc32 } from './npz';

export interface ExportFixture {
  rt: TestRuntime;
  /** The projects' researcher (password `password123`, as makeUser sets it). */
  researcher: SessionUser;
  discrete: number;
  box: number;
  /** Items excluded by a reviewer (directly, or because they were sent back for relabeling). */
  excludedIds: number[];
}

async function labelRound(rt: TestRuntime, projectId: number, labelers: SessionUser[], seed: number): Promise<void> {
  await runSimulatedLabelers(
    rt,
    projectId,
    labelers.map((user, i) => ({ user, errorRate: i === 0 ? 0 : 0.2, unsureRate: 0, delayMs: 0 })),
    { seed },
  );
}

export async function makeExportFixture(): Promise<ExportFixture> {
  const rt = makeTestRuntime();
  const researcher = await makeUser(rt, 'researcher');
  const labelers = [await makeUser(rt, 'labeler', 'exp-good'), await makeUser(rt, 'labeler', 'exp-noisy')];
  const api = callerFor(rt, researcher);
  const runner = new JobRunner({ runtime: rt, handlers: jobHandlers() });

  const { id: discrete } = await api.project.create({
    name: 'export CartPole',
    envId: 'CartPole-v1',
    config: {
      seed: 11,
      selection: { strategy: 'stride', k: 15 },
      rolloutEpisodes: 2,
      aggregation: { labelsPerState: 2, maxLabelsPerState: 2 },
      goldRate: 0,
      policy: { hidden: [16], epochs: 5 },
      evaluation: { episodes: 1, seed: 5 },
    },
  });
  for (const u of labelers) await api.project.addMember({ projectId: discrete, email: u.email, role: 'labeler' });
  await api.round.demonstrate({ projectId: discrete, episodes: 2, thenTrain: true });
  await runner.drain();

  const closeIfOpen = async (roundId: number) => {
    if (rt.db.select().from(round).where(eq(round.id, roundId)).get()!.phase === 'labeling') await api.round.close({ projectId: discrete, roundId });
    await runner.drain();
  };
  const r1 = await api.round.start({ projectId: discrete });
  await runner.drain();
  await labelRound(rt, discrete, labelers, 21);
  await closeIfOpen(r1.roundId);

  const r2 = await api.round.start({ projectId: discrete });
  await runner.drain();
  const relabeled = rt.db
    .select()
    .from(datasetItem)
    .where(and(eq(datasetItem.projectId, discrete), eq(datasetItem.roundId, r1.roundId)))
    .orderBy(asc(datasetItem.id))
    .all()[1]!;
  await api.dataset.review({ projectId: discrete, itemId: relabeled.id, kind: 'relabel', reason: 'export fixture' });
  await labelRound(rt, discrete, labelers, 22);
  await closeIfOpen(r2.roundId);

  const demo = rt.db.select().from(datasetItem).where(eq(datasetItem.projectId, discrete)).orderBy(asc(datasetItem.id)).all()[3]!;
  await api.dataset.review({ projectId: discrete, itemId: demo.id, kind: 'exclude', reason: 'export fixture' });

  const { id: box } = await api.project.create({
    name: 'export external box',
    config: { spaces: { observation: { size: 3 }, action: { kind: 'box', size: 2, low: [-1, -2], high: [1, 2] } } },
  });
  const rng = createRng(5);
  const lines: string[] = [];
  for (const [episode, steps] of [[0, 6], [1, 4]] as const) {
    for (let t = 0; t < steps; t++) {
      lines.push(
        JSON.stringify({
          episode,
          obs: [rng.normal(), rng.normal(), t],
          action: [2 * rng.uniform() - 1, 4 * rng.uniform() - 2],
          reward: Math.round(rng.normal() * 1000) / 1000,
        }),
      );
    }
  }
  await api.round.importDemonstrations({ projectId: box, jsonl: lines.join('\n') });

  return { rt, researcher, discrete, box, excludedIds: [relabeled.id, demo.id] };
}

export interface ExpectedEpisode {
  rolloutId: number | null;
  seed: number | null;
  items: (typeof datasetItem.$inferSelect & { roundIndex: number })[];
  /** The observation after the last item, or null when the export must repeat the last one. */
  next: number[] | null;
  rewards: number[];
  terminations: boolean[];
  truncations: boolean[];
}

/**
 * What a Minari export of `projectId` must hold, read straight from the tables: the included items grouped
 * by rollout (rollout-less items by round and source), each group in time order, groups in order of their
 * first item id.
 */
export function expectedEpisodes(rt: TestRuntime, projectId: number): ExpectedEpisode[] {
  const items = rt.db
    .select({ item: datasetItem, roundIndex: round.index })
    .from(datasetItem)
    .innerJoin(round, eq(round.id, datasetItem.roundId))
    .where(and(eq(datasetItem.projectId, projectId), eq(datasetItem.excluded, false)))
    .all()
    .map((r) => ({ ...r.item, roundIndex: r.roundIndex }));
  const byKey = new Map<string, typeof items>();
  for (const it of items) {
    const key = it.rolloutId === null ? `${it.roundIndex}/${it.source}` : String(it.rolloutId);
    byKey.set(key, [...(byKey.get(key) ?? []), it]);
  }
  const firstId = (g: typeof items) => Math.min(...g.map((i) => i.id));
  return [...byKey.values()]
    .sort((a, b) => firstId(a) - firstId(b))
    .map((g) => {
      const rolloutId = g[0]!.rolloutId;
      const sorted = rolloutId === null ? [...g].sort((a, b) => a.id - b.id) : [...g].sort((a, b) => a.t! - b.t! || a.id - b.id);
      const ro = rolloutId === null ? undefined : rt.db.select().from(rollout).where(eq(rollout.id, rolloutId)).get()!;
      const steps = (ro?.steps ?? []) as { reward: number; terminated: boolean }[];
      const lastT = sorted.at(-1)!.t;
      return {
        rolloutId,
        seed: ro?.seed ?? null,
        items: sorted,
        next: ro && lastT !== null && lastT + 1 < ro.length ? ro.observations![lastT + 1]! : null,
        rewards: sorted.map((i) => (ro ? steps[i.t!]!.reward : 0)),
        terminations: sorted.map((i) => (ro ? steps[i.t!]!.terminated : false)),
        truncations: sorted.map((i) => (ro ? ro.truncated && i.t === ro.length - 1 : false)),
      };
    });
}

/** The entries of a stored (uncompressed) zip, read from its local headers, with their CRC-32 checked. */
export function readStoredZip(buf: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let p = 0;
  while (buf.readUInt32LE(p) === 0x04034b50) {
    if (buf.readUInt16LE(p + 8) !== 0) throw new Error('zip entry is compressed');
    const crc = buf.readUInt32LE(p + 14);
    const size = buf.readUInt32LE(p + 18);
    const nameLen = buf.readUInt16LE(p + 26);
    const extraLen = buf.readUInt16LE(p + 28);
    const name = buf.subarray(p + 30, p + 30 + nameLen).toString('utf8');
    const data = buf.subarray(p + 30 + nameLen + extraLen, p + 30 + nameLen + extraLen + size);
    if (crc32(data) !== crc) throw new Error(`zip entry ${name}: CRC mismatch`);
    out.set(name, data);
    p += 30 + nameLen + extraLen + size;
  }
  if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`zip: no central directory at ${p}`);
  return out;
}
