/** The stored evaluation episode of a policy version, for watching it replayed in the browser. */
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { policyVersion, project, rollout } from '@/db/schema';
import { notFound } from '../errors';

export function policyReplay(db: Db, projectId: number, policyVersionId: number) {
  const v = db.select({ id: policyVersion.id, version: policyVersion.version }).from(policyVersion).where(and(eq(policyVersion.id, policyVersionId), eq(policyVersion.projectId, projectId))).get();
  if (!v) throw notFound('Policy version');
  const r = db
    .select()
    .from(rollout)
    .where(and(eq(rollout.projectId, projectId), eq(rollout.policyVersionId, policyVersionId), eq(rollout.kind, 'evaluation')))
    .orderBy(desc(rollout.id))
    .limit(1)
    .get();
  if (!r) throw notFound(`A recorded episode of policy v${v.version}`);
  const envId = db.select({ envId: project.envId }).from(project).where(eq(project.id, projectId)).get()?.envId ?? null;
  const steps = r.steps as { state: unknown; action: unknown }[];
  return {
    version: v.version,
    envId,
    seed: r.seed,
    return: r.return,
    length: r.length,
    terminated: r.terminated,
    // The states visited, then the final state, so the replay ends where the episode ended.
    states: [...steps.map((s) => s.state), r.finalState],
    actions: [...steps.map((s) => s.action), null],
  };
}
