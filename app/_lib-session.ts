import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { sessionUser, type SessionUser } from '@/server/auth';
import { runtime } from '@/server/runtime';

/** The signed-in user of this request, or a redirect to the sign-in page. */
export async function requireUser(next?: string): Promise<SessionUser> {
  const u = await sessionUser(runtime(), await headers());
  if (!u) redirect(next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in');
  return u;
}

export async function currentUser(): Promise<SessionUser | null> {
  return sessionUser(runtime(), await headers());
}
