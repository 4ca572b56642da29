/**
 * Stores a round's learner rollouts and the states selected from them as queries (some marked gold when
 * the scripted expert knows the answer), then opens the round for labeling — all in one transaction, and
 * only once: a rollout job re-run after a crash finds the round already labeling and writes nothing.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { query, round, rollout } from '@/db/schema';
import type { Action } from '@/envs/types';
import type { Rollout } from '../jobs/rollouts';

export interface SelectedState {
  episode: number;
  t: number;
  reason: string;
  gold: { action: Action } | null;
}

export function recordRoundRollouts(
  db: Db,
  roundId: number,
  rollouts: Rollout[],
  selected: SelectedState[],
  labelsRequired: number,
  now = Date.now(),
): { written: boolean; queries: number } {
  return db.transaction(
    (tx) => {
      const r = tx.select().from(round).where(eq(round.id, roundId)).get();
      if (!r || r.phase !== 'rollout') return { written: false, queries: 0 };
      const ids = new Map<number, number>();
      for (const ro of rollouts) {
        const row = tx
          .insert(rollout)
          .values({
            projectId: r.projectId,
            roundId,
            kind: 'dagger',
            episode: ro.episode,
            seed: ro.seed,
            policyVersionId: r.policyVersionId,
            length: ro.length,
            return: ro.return,
            terminated: ro.terminated,
            truncated: ro.truncated,
            steps: ro.steps.map(({ obs: _obs, params: _params, ...s }) => s),
            observations: ro.steps.map((s) => s.obs),
            params: ro.steps.map((s) => s.params),
            finalState: ro.finalState,
            createdAt: now,
          })
          .returning({ id: rollout.id })
          .get();
        ids.set(ro.episode, row.id);
      }
      const byEpisode = new Map(rollouts.map((ro) => [ro.episode, ro]));
      const rows = selected.map((s) => {
        const step = byEpisode.get(s.episode)?.steps[s.t];
        if (!step) throw new Error(`selected state ${s.episode}:${s.t} is not in the rollouts`);
        return {
          projectId: r.projectId,
          roundId,
          rolloutId: ids.get(s.episode)!,
          t: s.t,
          state: step.state,
          obs: step.obs,
          policyAction: step.policyAction,
          reason: s.reason,
          isGold: s.gold !== null,
          goldAction: s.gold?.action ?? null,
          labelsRequired,
          createdAt: now,
        };
      });
      for (let i = 0; i < rows.length; i += 200) tx.insert(query).values(rows.slice(i, i + 200)).run();
      tx.update(round).set({ phase: 'labeling' }).where(and(eq(round.id, roundId), eq(round.phase, 'rollout'))).run();
      return { written: true, queries: rows.length };
    },
    { behavior: 'immediate' },
  );
}
