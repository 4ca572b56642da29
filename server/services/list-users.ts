import { asc } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { user } from '@/db/schema';

export function listUsers(db: Db) {
  return db
    .select({ id: user.id, email: user.email, name: user.name, role: user.role, createdAt: user.createdAt })
    .from(user)
    .orderBy(asc(user.createdAt))
    .all();
}
