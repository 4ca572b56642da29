/** Creates a project (with its round 0, open for demonstrations); its creator becomes its first researcher. */
import { z } from 'zod';
import { project, projectMember, round } from '@/db/schema';
import { getEnv } from '@/envs/registry';
import { deriveSeed } from '../dagger/rng';
import { projectSettingsSchema } from './project-settings';
import type { SessionUser } from '../auth';
import { badInput } from '../errors';
import type { Runtime } from '../runtime';

export const createProjectInput = z.object({
  name: z.string().trim().min(1, 'Give the project a name').max(120, 'At most 120 characters'),
  /** A built-in environment; leave out for an external project (then `config.spaces` declares the spaces). */
  envId: z.string().min(1, 'Choose an environment').optional(),
  /** Partial settings; everything left out takes the documented default. */
  config: z.record(z.string(), z.unknown()).default({}),
});

export function createProject(rt: Runtime, by: SessionUser, raw: z.input<typeof createProjectInput>): { id: number } {
  const input = createProjectInput.parse(raw);
  let actionKind: 'discrete' | 'box';
  if (input.envId) {
    try {
      actionKind = getEnv(input.envId).actionSpace.kind;
    } catch {
      throw badInput(`Unknown environment ${input.envId}`, { envId: [`Unknown environment ${input.envId}`] });
    }
  } else {
    const spaces = input.config.spaces as { action?: { kind?: string } } | undefined;
    if (!spaces?.action?.kind) {
      throw badInput('An external project declares its spaces', { 'config.spaces': ['Declare the observation size and the action space'] });
    }
    actionKind = spaces.action.kind === 'discrete' ? 'discrete' : 'box';
  }
  // The policy class follows the action space unless chosen: categorical for discrete, Gaussian for boxes.
  const policy = { kind: actionKind === 'discrete' ? 'categorical' : 'gaussian', ...((input.config.policy as object | undefined) ?? {}) };
  const parsed = projectSettingsSchema.safeParse({ ...input.config, policy, envId: input.envId });
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const i of parsed.error.issues) (fieldErrors[`config.${i.path.join('.')}`] ??= []).push(i.message);
    throw badInput('Invalid project settings', fieldErrors);
  }
  if (!input.envId && !parsed.data.spaces) throw badInput('An external project declares its spaces', { 'config.spaces': ['Required'] });
  if ((actionKind === 'discrete') !== (parsed.data.policy.kind === 'categorical')) {
    const msg = actionKind === 'discrete' ? 'Discrete actions need a categorical policy' : 'Continuous actions need a gaussian or mixture policy';
    throw badInput(msg, { 'config.policy.kind': [msg] });
  }
  const now = Date.now();
  return rt.db.transaction((tx) => {
    const row = tx
      .insert(project)
      .values({ name: input.name, envId: input.envId ?? null, config: parsed.data, createdBy: by.id, createdAt: now })
      .returning({ id: project.id })
      .get();
    tx.insert(projectMember).values({ projectId: row.id, userId: by.id, role: 'researcher', createdAt: now }).run();
    // Round 0 collects demonstrations (β = 1: the expert acts); closing it trains π₁ by behaviour cloning.
    tx.insert(round)
      .values({ projectId: row.id, index: 0, phase: 'labeling', beta: 1, seed: deriveSeed(parsed.data.seed, 'round', 0), createdAt: now })
      .run();
    return row;
  });
}
