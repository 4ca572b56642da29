/**
 * `policy.deploy` (and rollback): a deployment is a new row, so the switch is one atomic insert and the
 * history is the table. Readers take the latest row.
 */
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { deployment, policyVersion } from '@/db/schema';
import { notFound } from '../errors';

export const deployPolicyInput = z.object({
  projectId: z.number().int().positive(),
  policyVersionId: z.number().int().positive(),
  reason: z.string().trim().max(200).default('deployed by researcher'),
});

export function deployPolicy(db: DbOrTx, raw: z.input<typeof deployPolicyInput>, byUserId: string | null, now = Date.now()) {
  const input = deployPolicyInput.parse(raw);
  const v = db
    .select({ id: policyVersion.id, version: policyVersion.version })
    .from(policyVersion)
    .where(and(eq(policyVersion.id, input.policyVersionId), eq(policyVersion.projectId, input.projectId)))
    .get();
  if (!v) throw notFound('Policy version');
  return db
    .insert(deployment)
    .values({ projectId: input.projectId, policyVersionId: v.id, byUserId, reason: input.reason, createdAt: now })
    .returning()
    .get();
}

/** The policy version serving a project now, or null before the first deployment. */
export function deployedPolicy(db: DbOrTx, projectId: number) {
  const d = db.select().from(deployment).where(eq(deployment.projectId, projectId)).orderBy(desc(deployment.id)).limit(1).get();
  if (!d) return null;
  return db.select().from(policyVersion).where(eq(policyVersion.id, d.policyVersionId)).get() ?? null;
}
