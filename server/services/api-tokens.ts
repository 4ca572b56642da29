/**
 * Per-project API tokens for external simulators. The token is shown once at creation; only its SHA-256
 * is stored. A request must carry `Authorization: Bearer <token>` of the project it addresses.
 */
import crypto from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { apiToken } from '@/db/schema';
import { notFound } from '../errors';

const hash = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

export const createApiTokenInput = z.object({
  projectId: z.number().int().positive(),
  name: z.string().trim().min(1, 'Name the token (e.g. the simulator it is for)').max(80),
});

export function createApiToken(db: DbOrTx, byUserId: string, raw: z.input<typeof createApiTokenInput>, now = Date.now()) {
  const input = createApiTokenInput.parse(raw);
  const token = `dst_${crypto.randomBytes(24).toString('base64url')}`;
  const row = db
    .insert(apiToken)
    .values({ projectId: input.projectId, name: input.name, tokenHash: hash(token), prefix: token.slice(0, 10), createdBy: byUserId, createdAt: now })
    .returning({ id: apiToken.id, name: apiToken.name, prefix: apiToken.prefix, createdAt: apiToken.createdAt })
    .get();
  return { ...row, token };
}

export function listApiTokens(db: DbOrTx, projectId: number) {
  return db
    .select({ id: apiToken.id, name: apiToken.name, prefix: apiToken.prefix, createdAt: apiToken.createdAt, revokedAt: apiToken.revokedAt, lastUsedAt: apiToken.lastUsedAt })
    .from(apiToken)
    .where(eq(apiToken.projectId, projectId))
    .all();
}

export function revokeApiToken(db: DbOrTx, projectId: number, tokenId: number, now = Date.now()): void {
  const r = db.update(apiToken).set({ revokedAt: now }).where(and(eq(apiToken.id, tokenId), eq(apiToken.projectId, projectId), isNull(apiToken.revokedAt))).run();
  if (r.changes !== 1) throw notFound('Active API token');
}

export type TokenCheck = { ok: true } | { ok: false; status: 401 | 403; error: string };

/** Checks a bearer token against the project the request addresses. */
export function checkApiToken(db: DbOrTx, authorization: string | null, projectId: number, now = Date.now()): TokenCheck {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!m) return { ok: false, status: 401, error: 'Missing API token: send Authorization: Bearer <token>' };
  const row = db.select().from(apiToken).where(eq(apiToken.tokenHash, hash(m[1]!))).get();
  if (!row || row.revokedAt) return { ok: false, status: 401, error: 'Invalid or revoked API token' };
  if (row.projectId !== projectId) return { ok: false, status: 403, error: 'This token belongs to another project' };
  db.update(apiToken).set({ lastUsedAt: now }).where(eq(apiToken.id, row.id)).run();
  return { ok: true };
}
