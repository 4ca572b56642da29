/** `round.demonstrate`: asks the worker for scripted-expert demonstrations (optionally with DART noise). */
import { z } from 'zod';
import { enqueueJob } from '../jobs/queue';
import { precondition } from '../errors';
import type { Runtime } from '../runtime';
import { projectSettings } from './project-settings';

export const requestDemonstrationsInput = z.object({
  projectId: z.number().int().positive(),
  episodes: z.number().int().min(1, 'At least 1 episode').max(1000, 'At most 1000 episodes'),
  noise: z.number().min(0).max(1).default(0),
  seed: z.number().int().min(0).optional(),
  /** Close round 0 and train the first policy as soon as the demonstrations are recorded. */
  thenTrain: z.boolean().default(false),
});

export function requestDemonstrations(rt: Runtime, raw: z.input<typeof requestDemonstrationsInput>): { jobId: number } {
  const input = requestDemonstrationsInput.parse(raw);
  const settings = projectSettings(rt.db, input.projectId);
  if (!settings.envId) throw precondition('External projects have no scripted expert; upload demonstrations instead');
  const j = enqueueJob(rt.db, {
    type: 'demonstrations.scripted',
    projectId: input.projectId,
    payload: { projectId: input.projectId, episodes: input.episodes, noise: input.noise, seed: input.seed ?? settings.seed, thenTrain: input.thenTrain },
  });
  return { jobId: j.id };
}
