/**
 * `round.start`: begins DAgger round i ≥ 1 — rolls out the deployed policy πᵢ (mixed with the expert by
 * βᵢ) in a background job, which then selects states and queues them for labeling.
 */
import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { round } from '@/db/schema';
import { betaForRound } from '../dagger/beta';
import { deriveSeed } from '../dagger/rng';
import { notFound, precondition } from '../errors';
import { enqueueJob } from '../jobs/queue';
import type { Runtime } from '../runtime';
import { deployedPolicy } from './deploy-policy';
import { projectSettings } from './project-settings';

export const startRoundInput = z.object({ projectId: z.number().int().positive() });

export function startRound(rt: Runtime, raw: z.input<typeof startRoundInput>, now = Date.now()): { roundId: number; index: number } {
  const input = startRoundInput.parse(raw);
  return rt.db.transaction(
    (tx) => {
      const settings = projectSettings(tx, input.projectId);
      const last = tx.select().from(round).where(eq(round.projectId, input.projectId)).orderBy(desc(round.index)).limit(1).get();
      if (!last) throw notFound('Round 0');
      if (last.phase !== 'done') {
        throw precondition(`Round ${last.index} is still ${last.phase}; finish or close it before starting the next`);
      }
      const deployed = deployedPolicy(tx, input.projectId);
      if (!deployed) throw precondition('No policy is deployed yet: train round 0 (demonstrations) first');
      const index = last.index + 1;
      const r = tx
        .insert(round)
        .values({
          projectId: input.projectId,
          index,
          // External projects get their rollouts over the HTTP API, so their rounds open straight for labeling.
          phase: settings.envId ? 'rollout' : 'labeling',
          beta: betaForRound(settings.beta, index),
          seed: deriveSeed(settings.seed, 'round', index),
          policyVersionId: deployed.id,
          createdAt: now,
        })
        .returning()
        .get();
      if (settings.envId) enqueueJob(tx, { type: 'round.rollout', payload: { roundId: r.id }, projectId: input.projectId, dedupeKey: `round:${r.id}:rollout` }, now);
      return { roundId: r.id, index };
    },
    { behavior: 'immediate' },
  );
}
