/**
 * Fixed-window rate limits kept in the database (the same table better-auth uses for sign-in limits), so
 * they hold across processes and restarts. Returns whether the call may proceed.
 */
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { rateLimit } from '@/db/schema';

export function takeRateLimit(db: DbOrTx, key: string, max: number, windowMs: number, now = Date.now()): boolean {
  const row = db
    .insert(rateLimit)
    .values({ id: key, key, count: 1, lastRequest: now })
    .onConflictDoUpdate({
      target: rateLimit.key,
      // A new window starts when the stored one has passed; otherwise count this call in it.
      set: {
        count: sql`case when ${rateLimit.lastRequest} <= ${now - windowMs} then 1 else ${rateLimit.count} + 1 end`,
        lastRequest: sql`case when ${rateLimit.lastRequest} <= ${now - windowMs} then ${now} else ${rateLimit.lastRequest} end`,
      },
    })
    .returning({ count: rateLimit.count })
    .get();
  return row.count <= max;
}

export function resetRateLimit(db: DbOrTx, key: string): void {
  db.delete(rateLimit).where(eq(rateLimit.key, key)).run();
}
