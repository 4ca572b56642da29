/**
 * A project's settings: the DAgger hyper-parameters (server/dagger/round.ts) plus the labeling-workspace
 * and crowd settings, validated with zod on every read so a row edited by hand cannot smuggle in garbage.
 */
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { project } from '@/db/schema';
import { getEnv } from '@/envs/registry';
import type { ActionSpace, BoxSpace } from '@/envs/types';
import { daggerConfigSchema } from '../dagger/round';
import { notFound } from '../errors';
import { prepared } from '@/db/prepared';
import { deepFreeze } from '../deep-freeze';

export const projectSettingsSchema = daggerConfigSchema.extend({
  /** Seconds a labeler holds a task before it returns to the queue. */
  leaseSeconds: z.number().int().min(10).max(3600).default(120),
  /** Show the policy's action to labelers (off by default: it anchors their answer). */
  showPolicyAction: z.boolean().default(false),
  /** Fraction of selected states, where the scripted expert knows the answer, used as gold checks. */
  goldRate: z.number().min(0).max(0.5).default(0.05),
  /** Labelers whose gold accuracy is below this are flagged and down-weighted. */
  flagBelowAccuracy: z.number().min(0).max(1).default(0.6),
  /** Spaces of an external project (no built-in environment). */
  spaces: z
    .object({
      observation: z.object({ size: z.number().int().min(1).max(100_000) }),
      action: z.union([
        z
          .object({ kind: z.literal('discrete'), n: z.number().int().min(2).max(64), names: z.array(z.string().min(1).max(40)).optional() })
          .refine((a) => !a.names || a.names.length === a.n, { message: 'Give one name per action, or none', path: ['names'] }),
        z
          .object({ kind: z.literal('box'), size: z.number().int().min(1).max(64), low: z.array(z.number()), high: z.array(z.number()) })
          .refine((a) => a.low.length === a.size, { message: 'One low bound per dimension', path: ['low'] })
          .refine((a) => a.high.length === a.size, { message: 'One high bound per dimension', path: ['high'] })
          .refine((a) => a.low.every((l, i) => l < a.high[i]!), { message: 'Each high bound must be above its low bound', path: ['high'] }),
      ]),
    })
    .optional(),
});

export type ProjectSettings = z.infer<typeof projectSettingsSchema>;

/**
 * Parsed settings by their stored text: a row that changes gets a new key, so an entry is never stale. The
 * entries are shared and frozen: a caller that tried to change one would throw, not corrupt the cache.
 */
const parsed = new Map<string, ProjectSettings>();

export function projectSettings(db: DbOrTx, projectId: number): ProjectSettings {
  const row = prepared(db, 'projectSettings', (d) =>
    d
      .select({ config: sql<string>`${project.config}`, envId: project.envId })
      .from(project)
      .where(eq(project.id, sql.placeholder('projectId')))
      .prepare(),
  ).get({ projectId });
  if (!row) throw notFound('Project');
  const key = `${row.envId ?? ''}\u0000${row.config}`;
  let settings = parsed.get(key);
  if (!settings) {
    settings = deepFreeze(projectSettingsSchema.parse({ ...(JSON.parse(row.config) as object), envId: row.envId ?? undefined }));
    if (parsed.size >= 256) parsed.delete(parsed.keys().next().value!);
    parsed.set(key, settings);
  }
  return settings;
}

export function observationSpaceOf(db: DbOrTx, projectId: number): BoxSpace {
  const s = projectSettings(db, projectId);
  if (s.envId) return getEnv(s.envId).observationSpace;
  const size = s.spaces?.observation.size ?? 1;
  return { kind: 'box', size, low: Array(size).fill(-Infinity), high: Array(size).fill(Infinity), names: Array.from({ length: size }, (_, i) => `o${i}`) };
}

export function actionSpaceOf(db: DbOrTx, projectId: number): ActionSpace {
  return actionSpaceFrom(projectSettings(db, projectId));
}

/** Per settings object (they are cached and frozen): an external project's action space, built once. */
const declaredSpaces = new WeakMap<ProjectSettings, ActionSpace>();

/** The action space of a project whose settings the caller has already read. */
export function actionSpaceFrom(s: ProjectSettings): ActionSpace {
  if (s.envId) return getEnv(s.envId).actionSpace;
  let space = declaredSpaces.get(s);
  if (!space) declaredSpaces.set(s, (space = declaredActionSpace(s)));
  return space;
}

function declaredActionSpace(s: ProjectSettings): ActionSpace {
  const a = s.spaces?.action;
  if (!a) throw notFound('Action space');
  if (a.kind === 'discrete') {
    const names = a.names ?? Array.from({ length: a.n }, (_, i) => `action ${i}`);
    return { kind: 'discrete', n: a.n, names, keys: names.map((_, i) => String(i + 1)) };
  }
  return { kind: 'box', size: a.size, low: a.low, high: a.high, names: Array.from({ length: a.size }, (_, i) => `a${i}`) };
}
