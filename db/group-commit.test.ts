import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from './client';
import { groupCommit } from './group-commit';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'group-commit-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function fresh(name: string) {
  const db = openDb(path.join(dir, `${name}.sqlite`), { migrate: false });
  db.$client.exec('create table t (id integer primary key, v text not null unique)');
  return db;
}

describe('group commit', () => {
  it('runs the work of one event-loop turn in one transaction, each piece atomic on its own', async () => {
    const db = fresh('a');
    const insert = db.$client.prepare('insert into t (v) values (?)');
    const piece = (vs: string[]) => () => vs.map((v) => insert.run(v).lastInsertRowid);
    const results = await Promise.allSettled([
      groupCommit(db, piece(['a', 'b'])),
      // Fails half-way ('a' exists): its 'c' must not be stored, the others must.
      groupCommit(db, piece(['c', 'a'])),
      groupCommit(db, () => {
        throw new Error('refused');
      }),
      groupCommit(db, piece(['d'])),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/refused/);
    expect(db.$client.prepare('select v from t order by id').pluck().all()).toEqual(['a', 'b', 'd']);
    expect(db.$client.inTransaction).toBe(false);
  });

  it('resolves nothing before the COMMIT, and fails the whole group when the COMMIT fails', async () => {
    const db = fresh('b');
    const insert = db.$client.prepare('insert into t (v) values (?)');
    // A deferred foreign-key violation only shows at COMMIT, which then fails for the whole group.
    db.$client.pragma('foreign_keys = ON');
    db.$client.exec('create table child (id integer primary key, parent integer references t(id) deferrable initially deferred)');
    const addChild = db.$client.prepare('insert into child (parent) values (?)');
    const seen: string[] = [];
    const a = groupCommit(db, () => insert.run('x')).then(() => seen.push('a'));
    const b = groupCommit(db, () => addChild.run(999)).then(() => seen.push('b'));
    const settled = await Promise.allSettled([a, b]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect(seen).toEqual([]);
    expect(db.$client.prepare('select count(*) from t').pluck().get()).toBe(0);
    // The next group starts clean.
    await groupCommit(db, () => insert.run('y'));
    expect(db.$client.prepare('select v from t').pluck().all()).toEqual(['y']);
  });

  it('gathers the pieces of one turn into one transaction, and starts a new one on the next turn', async () => {
    const db = fresh('c');
    const other = openDb(path.join(dir, 'c.sqlite'), { migrate: false });
    const count = other.$client.prepare('select count(*) from t').pluck();
    const insert = db.$client.prepare('insert into t (v) values (?)');
    // While the pieces run, another connection sees none of them: they are not committed one by one.
    const seenByOther = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        groupCommit(db, () => {
          insert.run(`v${i}`);
          return count.get();
        }),
      ),
    );
    expect(seenByOther).toEqual(Array(20).fill(0));
    expect(count.get()).toBe(20);
    // A piece handed over after the group committed runs in a new transaction, which sees them all.
    expect(await groupCommit(db, () => count.get())).toBe(20);
    other.$client.close();
  });
});
