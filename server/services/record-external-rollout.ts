/**
 * A rollout posted by an external simulator: validated against the project's declared spaces (a rollout
 * with T actions has T or T+1 observations; errors name the actual sizes), its frames stored
 * content-addressed, then states selected from it and queued in the open round — one transaction.
 */
import { desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { query, round, rollout } from '@/db/schema';
import { createRng, deriveSeed } from '../dagger/rng';
import { selectStates } from '../dagger/selection';
import { badInput, precondition } from '../errors';
import type { Runtime } from '../runtime';
import { parseAction } from './actions';
import { imageType, storeArtifact } from './artifacts';
import { actionSpaceOf, observationSpaceOf, projectSettings } from './project-settings';
import { recordDemonstrations } from './record-demonstrations';

/** Per frame, decoded. */
export const MAX_FRAME_BYTES = 2_000_000;
export const MAX_STEPS = 10_000;

export const externalRolloutSchema = z.object({
  observations: z.array(z.array(z.number())).min(1).max(MAX_STEPS + 1),
  actions: z.array(z.union([z.number(), z.array(z.number())])).min(1).max(MAX_STEPS),
  rewards: z.array(z.number()).optional(),
  terminated: z.boolean().default(false),
  truncated: z.boolean().default(false),
  /** One base64 PNG/JPEG per step (optional). */
  frames: z.array(z.string()).max(MAX_STEPS).optional(),
  seed: z.number().int().optional(),
  /** The policy version the simulator ran (from the X-Policy-Version header of GET policy). */
  policyVersion: z.number().int().positive().optional(),
});

export type ExternalRollout = z.infer<typeof externalRolloutSchema>;

interface Checked {
  obs: number[][];
  actions: (number | number[])[];
  rewards: number[];
  frames: { bytes: Buffer; ext: 'png' | 'jpg' }[] | null;
}

function check(rt: Runtime, projectId: number, r: ExternalRollout): Checked {
  const obsSize = observationSpaceOf(rt.db, projectId).size;
  const space = actionSpaceOf(rt.db, projectId);
  const T = r.actions.length;
  if (r.observations.length !== T && r.observations.length !== T + 1) {
    throw badInput(`a rollout with ${T} actions needs ${T} or ${T + 1} observations, got ${r.observations.length}`);
  }
  r.observations.forEach((o, t) => {
    if (o.length !== obsSize) throw badInput(`observations[${t}] has ${o.length} values; the project's observation space has ${obsSize}`);
    if (o.some((v) => !Number.isFinite(v))) throw badInput(`observations[${t}] contains NaN or Infinity`);
  });
  r.actions.forEach((a, t) => {
    const p = parseAction(space, a);
    if (!p.ok) throw badInput(`actions[${t}]: ${p.error}`);
  });
  if (r.rewards && r.rewards.length !== T) throw badInput(`rewards has ${r.rewards.length} values for ${T} actions`);
  if (r.rewards?.some((v) => !Number.isFinite(v))) throw badInput('rewards contain NaN or Infinity');
  let frames: Checked['frames'] = null;
  if (r.frames) {
    if (r.frames.length !== T) throw badInput(`frames has ${r.frames.length} images for ${T} steps (one per step)`);
    frames = r.frames.map((f, t) => {
      const bytes = Buffer.from(f, 'base64');
      if (bytes.length > MAX_FRAME_BYTES) throw badInput(`frames[${t}] is ${bytes.length} bytes; the limit is ${MAX_FRAME_BYTES}`);
      const ext = imageType(bytes);
      if (!ext) throw badInput(`frames[${t}] is not a PNG or JPEG image`);
      return { bytes, ext };
    });
  }
  return { obs: r.observations.slice(0, T), actions: r.actions, rewards: r.rewards ?? Array(T).fill(0), frames };
}

export function recordExternalRollout(rt: Runtime, projectId: number, raw: unknown, now = Date.now()) {
  const parsed = externalRolloutSchema.safeParse(raw);
  if (!parsed.success) throw badInput(`invalid rollout: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ')}`);
  const r = parsed.data;
  const settings = projectSettings(rt.db, projectId);
  const c = check(rt, projectId, r);
  return rt.db.transaction(
    (tx) => {
      const open = tx.select().from(round).where(eq(round.projectId, projectId)).orderBy(desc(round.index)).limit(1).get();
      if (!open || open.index === 0 || open.phase !== 'labeling') {
        throw precondition('No DAgger round is open for rollouts: start the next round in the dashboard (round 0 takes demonstrations)');
      }
      // Frames are written only after every check passed; content addressing makes a retry harmless.
      const frameShas = c.frames?.map((f) => ({ sha: storeArtifact(rt.artifactsDir, 'frames', f.bytes, f.ext), ext: f.ext })) ?? null;
      const episode = tx.select({ n: sql<number>`count(*)` }).from(rollout).where(eq(rollout.roundId, open.id)).get()?.n ?? 0;
      const T = c.actions.length;
      const ro = tx
        .insert(rollout)
        .values({
          projectId,
          roundId: open.id,
          kind: 'external',
          episode,
          seed: r.seed ?? null,
          policyVersionId: open.policyVersionId,
          length: T,
          return: c.rewards.reduce((a, b) => a + b, 0),
          terminated: r.terminated,
          truncated: r.truncated,
          steps: c.actions.map((a, t) => ({
            t,
            state: frameShas ? { frame: `${frameShas[t]!.sha}.${frameShas[t]!.ext}` } : null,
            action: a,
            policyAction: a,
            reward: c.rewards[t],
            terminated: r.terminated && t === T - 1,
            expertExecuted: false,
          })),
          observations: c.obs,
          params: null,
          finalState: null,
          createdAt: now,
        })
        .returning({ id: rollout.id })
        .get();
      const picks = selectStates(
        [{ rolloutIndex: 0, terminated: r.terminated, truncated: r.truncated, steps: c.actions.map((_, t) => ({ t })) }],
        settings.selection,
        createRng(deriveSeed(open.seed, 'external-selection', episode)),
      );
      const rows = picks.map((p) => ({
        projectId,
        roundId: open.id,
        rolloutId: ro.id,
        t: p.t,
        state: frameShas ? { frame: `${frameShas[p.t]!.sha}.${frameShas[p.t]!.ext}` } : null,
        obs: c.obs[p.t]!,
        policyAction: c.actions[p.t]!,
        reason: p.reason,
        labelsRequired: settings.aggregation.labelsPerState,
        createdAt: now,
      }));
      for (let i = 0; i < rows.length; i += 200) tx.insert(query).values(rows.slice(i, i + 200)).run();
      return { rolloutId: ro.id, round: open.index, queries: rows.length };
    },
    { behavior: 'immediate' },
  );
}

/** Demonstrations from an external simulator (round 0 or later): same validation, straight into the dataset. */
export function recordExternalDemonstration(rt: Runtime, projectId: number, raw: unknown) {
  const parsed = externalRolloutSchema.safeParse(raw);
  if (!parsed.success) throw badInput(`invalid demonstration: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ')}`);
  const c = check(rt, projectId, parsed.data);
  return rt.db.transaction(
    (tx) =>
      recordDemonstrations(
        tx,
        projectId,
        [{ seed: parsed.data.seed ?? null, terminated: parsed.data.terminated, truncated: parsed.data.truncated, steps: c.actions.map((a, t) => ({ obs: c.obs[t]!, action: a, reward: c.rewards[t] })) }],
        'import',
      ),
    { behavior: 'immediate' },
  );
}
