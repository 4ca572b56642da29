import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { startCheckpointer } from './checkpointer';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'checkpoint-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const waitFor = async (ok: () => boolean, ms = 10_000) => {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
};

describe('the checkpointer thread', () => {
  it('moves committed pages from the WAL into the database file while the serving connection never checkpoints', async () => {
    const file = path.join(dir, 'a.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('create table t (id integer primary key, v text)');
    const worker = startCheckpointer(file, db, 50);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = fs.statSync(file).size;
    const insert = db.prepare('insert into t (v) values (?)');
    // ~2 000 pages: far past the 1 000-page autocheckpoint, which is off on this connection.
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run('x'.repeat(3000));
    })();
    expect(await waitFor(() => fs.statSync(file).size > before + 4_000_000)).toBe(true);
    // Everything committed is readable from a fresh connection, checkpointed or not.
    const other = new Database(file, { readonly: true });
    expect((other.prepare('select count(*) as n from t').get() as { n: number }).n).toBe(2000);
    other.close();
    // When the thread stops, the serving connection checkpoints for itself again.
    worker.postMessage('stop');
    expect(await waitFor(() => db.pragma('wal_autocheckpoint', { simple: true }) === 1000)).toBe(true);
    db.close();
  });
});
