/**
 * Writes demonstration episodes (scripted expert, uploaded JSONL, or played in the browser) into the
 * project's current round: each episode as a rollout, each (observation, action) as a dataset item.
 */
import { desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { datasetItem, round, rollout } from '@/db/schema';
import type { Action } from '@/envs/types';
import { badInput, notFound } from '../errors';
import { parseAction } from './actions';
import { actionSpaceOf, observationSpaceOf } from './project-settings';

export interface DemoStep {
  obs: number[];
  action: Action;
  state?: unknown;
  reward?: number;
  terminated?: boolean;
}

export interface DemoEpisode {
  steps: DemoStep[];
  seed?: number | null;
  finalState?: unknown;
  terminated?: boolean;
  truncated?: boolean;
}

export function recordDemonstrations(
  tx: DbOrTx,
  projectId: number,
  episodes: DemoEpisode[],
  source: 'demonstration' | 'import',
  now = Date.now(),
): { roundIndex: number; episodes: number; items: number } {
  const r = tx.select().from(round).where(eq(round.projectId, projectId)).orderBy(desc(round.index)).limit(1).get();
  if (!r) throw notFound('Round');
  const obsSpace = observationSpaceOf(tx, projectId);
  const actSpace = actionSpaceOf(tx, projectId);
  // Validate everything before writing anything: bad input loses nothing and writes nothing.
  episodes.forEach((ep, e) =>
    ep.steps.forEach((s, t) => {
      if (s.obs.length !== obsSpace.size || s.obs.some((v) => !Number.isFinite(v))) {
        throw badInput(`episode ${e} step ${t}: observation must be ${obsSpace.size} finite numbers (got ${s.obs.length})`);
      }
      const a = parseAction(actSpace, s.action);
      if (!a.ok) throw badInput(`episode ${e} step ${t}: ${a.error}`);
    }),
  );
  const firstEpisode = tx.select({ n: rollout.episode }).from(rollout).where(eq(rollout.roundId, r.id)).orderBy(desc(rollout.episode)).limit(1).get();
  let episode = (firstEpisode?.n ?? -1) + 1;
  let items = 0;
  for (const ep of episodes) {
    if (ep.steps.length === 0) continue;
    const ret = ep.steps.reduce((a, s) => a + (s.reward ?? 0), 0);
    const ro = tx
      .insert(rollout)
      .values({
        projectId,
        roundId: r.id,
        kind: 'demonstration',
        episode: episode++,
        seed: ep.seed ?? null,
        policyVersionId: null,
        length: ep.steps.length,
        return: ret,
        terminated: ep.terminated ?? false,
        truncated: ep.truncated ?? false,
        steps: ep.steps.map((s, t) => ({ t, state: s.state ?? null, action: s.action, policyAction: null, reward: s.reward ?? 0, terminated: s.terminated ?? false, expertExecuted: true })),
        observations: ep.steps.map((s) => s.obs),
        params: null,
        finalState: ep.finalState ?? null,
        createdAt: now,
      })
      .returning({ id: rollout.id })
      .get();
    const rows = ep.steps.map((s, t) => ({
      projectId,
      roundId: r.id,
      rolloutId: ro.id,
      t,
      source,
      obs: s.obs,
      state: s.state ?? null,
      action: s.action,
      agreement: 1,
      labelCount: 0,
      labelIds: [],
      createdAt: now,
    }));
    // SQLite limits bound parameters per statement; insert in chunks.
    for (let i = 0; i < rows.length; i += 200) tx.insert(datasetItem).values(rows.slice(i, i + 200)).run();
    items += rows.length;
  }
  return { roundIndex: r.index, episodes: episodes.length, items };
}
