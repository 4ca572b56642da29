/** Creates the first admin account if none exists; returns its credentials once so start can print them. */
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { user } from '@/db/schema';
import { createUser } from '../auth';
import type { Runtime } from '../runtime';

export interface EnsureAdminResult {
  created: boolean;
  email: string;
  /** Only when this call created the account with a generated password. */
  password?: string;
}

export async function ensureAdmin(rt: Runtime, input: { email?: string; password?: string }): Promise<EnsureAdminResult> {
  const existing = rt.db.select({ email: user.email }).from(user).where(eq(user.role, 'admin')).get();
  if (existing) return { created: false, email: existing.email };
  const email = input.email ?? 'admin@dagger.local';
  // 18 random bytes → 24 characters of base64url: strong, and easy to copy from a terminal.
  const password = input.password ?? crypto.randomBytes(18).toString('base64url');
  await createUser(rt.db, rt.auth, { email, password, name: 'Admin', role: 'admin' });
  return { created: true, email, password: input.password ? undefined : password };
}
