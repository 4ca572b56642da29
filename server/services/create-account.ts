/** Creates an account (admin action, or an accepted invitation). */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { ROLES, user } from '@/db/schema';
import { createUser, type SessionUser } from '../auth';
import { badInput } from '../errors';
import type { Runtime } from '../runtime';

export const createAccountInput = z.object({
  email: z.email(),
  name: z.string().trim().min(1).max(100),
  password: z.string().min(8).max(128),
  role: z.enum(ROLES),
});

export async function createAccount(rt: Runtime, raw: z.input<typeof createAccountInput>): Promise<SessionUser> {
  const input = createAccountInput.parse(raw);
  const email = input.email.toLowerCase();
  if (rt.db.select({ id: user.id }).from(user).where(eq(user.email, email)).get()) {
    throw badInput(`An account with ${email} already exists`, { email: ['An account with this email already exists'] });
  }
  return createUser(rt.db, rt.auth, { ...input, email });
}
