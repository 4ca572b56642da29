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
    const text = (q as { getQuery?: () => { sql: string } }).getQuery?.().sql;
    if (text && /\blimit\s+\?/i.test(text)) throw new Error(`Prepared query "${key}" binds its LIMIT; write .limit(fixedLimit(n)) instead (see fixedLimit)`);
    m.set(key, q);
  }
  return q;
}

/**
 * A LIMIT written into a prepared query's SQL text. drizzle sends `.limit(n)` as a bound parameter, and
 * SQLite treats a bound LIMIT as something that may change the query plan: binding it again — every run
 * of a prepared statement — makes SQLite compile the statement anew. For the claim query that recompile
 * cost ten times the query itself. Use this for `.limit()` in `prepared()` queries.
 */
export function fixedLimit(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`fixedLimit: not a row count: ${n}`);
  // drizzle writes an SQL chunk given as the limit into the text as is (its type only names numbers and placeholders).
  return sql.raw(String(n)) as unknown as number;
}

/** `{ a: sql.placeholder('a'), … }`: the values of a prepared insert, filled in by name when it runs. */
export function placeholders<K extends string>(...names: K[]): { [P in K]: Placeholder<P> } {
  return Object.fromEntries(names.map((n) => [n, sql.placeholder(n)])) as { [P in K]: Placeholder<P> };
}
