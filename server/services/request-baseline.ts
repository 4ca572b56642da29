/** `round.baseline`: asks the worker for a behaviour-cloning baseline at the project's label counts. */
import { z } from 'zod';
import { precondition } from '../errors';
import { enqueueJob } from '../jobs/queue';
import type { Runtime } from '../runtime';
import { projectSettings } from './project-settings';

export const requestBaselineInput = z.object({ projectId: z.number().int().positive() });

export function requestBaseline(rt: Runtime, raw: z.input<typeof requestBaselineInput>): { jobId: number } {
  const input = requestBaselineInput.parse(raw);
  if (!projectSettings(rt.db, input.projectId).envId) throw precondition('A behaviour-cloning baseline needs a scripted expert (built-in environments only)');
  return { jobId: enqueueJob(rt.db, { type: 'baseline.bc', projectId: input.projectId, payload: { projectId: input.projectId } }).id };
}
