import { sql } from 'drizzle-orm';
import { integer, sqliteTable } from 'drizzle-orm/sqlite-core';
import { openDb, type DbOrTx } from './client';
import { describe, expect, it } from 'vitest';
import { fixedLimit, prepared } from './prepared';

const t = sqliteTable('t', { id: integer('id').primaryKey() });

function fresh() {
  const db = openDb(':memory:', { migrate: false });
  db.$client.exec('create table t (id integer primary key)');
  for (let i = 1; i <= 5; i++) db.$client.prepare('insert into t (id) values (?)').run(i);
  return db;
}

describe('prepared queries', () => {
  it('fixedLimit writes the row count into the SQL text instead of binding it', () => {
    const db = fresh();
    const q = db.select().from(t).where(sql`${t.id} > ${sql.placeholder('after')}`).limit(fixedLimit(2)).prepare();
    expect(q.getQuery().sql).toMatch(/limit 2$/);
    expect(q.getQuery().params).toHaveLength(1);
    expect(q.all({ after: 1 }).map((r) => r.id)).toEqual([2, 3]);
    expect(q.all({ after: 4 }).map((r) => r.id)).toEqual([5]);
  });

  it('fixedLimit refuses anything but a row count', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => fixedLimit(bad)).toThrow(/not a row count/);
  });

  it('refuses to cache a prepared query whose LIMIT is bound (SQLite would recompile it on every run)', () => {
    const db = fresh();
    expect(() => prepared(db, 'bound-limit', (d) => d.select().from(t).limit(1).prepare())).toThrow(/fixedLimit/);
    expect(prepared(db, 'fixed-limit', (d) => d.select().from(t).limit(fixedLimit(1)).prepare()).all()).toEqual([{ id: 1 }]);
  });

  it('builds a query once per connection and key', () => {
    const db = fresh();
    let builds = 0;
    const build = (d: DbOrTx) => (builds++, d.select().from(t).prepare());
    expect(prepared(db, 'all', build)).toBe(prepared(db, 'all', build));
    expect(builds).toBe(1);
  });
});
