/**
 * A behaviour-cloning round: instead of rolling out the learner, it adds `states` more expert-labelled
 * states (the first ones of fresh scripted-expert episodes) and retrains — the baseline DAgger is compared
 * with at an equal label budget.
 */
import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { round } from '@/db/schema';
import { getEnv } from '@/envs/registry';
import { createRng, deriveSeed } from '../dagger/rng';
import { precondition } from '../errors';
import { collectRollouts } from '../jobs/rollouts';
import type { Runtime } from '../runtime';
import { beginTraining } from './begin-training';
import { deployedPolicy } from './deploy-policy';
import { projectSettings } from './project-settings';
import { recordDemonstrations, type DemoEpisode } from './record-demonstrations';

export const addDemonstrationRoundInput = z.object({
  projectId: z.number().int().positive(),
  states: z.number().int().min(1).max(1_000_000),
  seed: z.number().int(),
});

export async function addDemonstrationRound(rt: Runtime, raw: z.input<typeof addDemonstrationRoundInput>, now = Date.now()) {
  const input = addDemonstrationRoundInput.parse(raw);
  const settings = projectSettings(rt.db, input.projectId);
  if (!settings.envId) throw precondition('External projects have no scripted expert');
  const env = getEnv(settings.envId);
  const episodes: DemoEpisode[] = [];
  let have = 0;
  const rng = createRng(input.seed);
  for (let e = 0; have < input.states; e++) {
    const [ro] = await collectRollouts(env, null, { episodes: 1, seeds: [deriveSeed(input.seed, 'episode', e)], beta: 1, random: () => rng.uniform() });
    const steps = ro!.steps.slice(0, input.states - have);
    have += steps.length;
    episodes.push({ seed: ro!.seed, steps: steps.map((s) => ({ obs: s.obs, state: s.state, action: s.action, reward: s.reward, terminated: s.terminated })) });
  }
  return rt.db.transaction(
    (tx) => {
      const last = tx.select().from(round).where(eq(round.projectId, input.projectId)).orderBy(desc(round.index)).limit(1).get();
      if (!last || last.phase !== 'done') throw precondition('The previous round must be done first');
      const r = tx
        .insert(round)
        .values({
          projectId: input.projectId,
          index: last.index + 1,
          phase: 'labeling',
          beta: 1,
          seed: deriveSeed(settings.seed, 'round', last.index + 1),
          policyVersionId: deployedPolicy(tx, input.projectId)?.id ?? null,
          createdAt: now,
        })
        .returning()
        .get();
      const rec = recordDemonstrations(tx, input.projectId, episodes, 'demonstration', now);
      beginTraining(tx, r, now, { closedEarly: false });
      return rec;
    },
    { behavior: 'immediate' },
  );
}
