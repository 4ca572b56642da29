/**
 * Prepared drizzle queries, built once per database connection. The labeling hot path (claim a task,
 * submit a label) runs ~25 queries; building and compiling each anew cost more than running it. A
 * transaction shares its database's session, so a query prepared once serves both.
 */
import { sql, type Placeholder } from 'drizzle-orm';
import type { DbOrTx } from './client';

const caches = new WeakMap<object, Map<string, unknown>>();

export function prepared<T>(db: DbOrTx, key: string, build: (db: DbOrTx) => T): T {
  const session = (db as unknown as { session: object }).session;
  let m = caches.get(session);
  if (!m) caches.set(session, (m = new Map()));
  let q = m.get(key) as T | undefined;
  if (q === undefined) {
    q = build(db);
    m.set(key, q);
  }
  return q;
}

/** `{ a: sql.placeholder('a'), … }`: the values of a prepared insert, filled in by name when it runs. */
export function placeholders<K extends string>(...names: K[]): { [P in K]: Placeholder<P> } {
  return Object.fromEntries(names.map((n) => [n, sql.placeholder(n)])) as { [P in K]: Placeholder<P> };
}
