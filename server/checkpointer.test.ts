import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { restartWal, startCheckpointer } from './checkpointer';

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

  it('lets a writer start the WAL over between its transactions, so a steady stream of writes does not grow it without end', async () => {
    const file = path.join(dir, 'b.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.exec('create table t (id integer primary key, v text)');
    const worker = startCheckpointer(file, db, 20);
    await once(worker, 'message'); // the thread is up
    const insert = db.prepare('insert into t (v) values (?)');
    const write = db.transaction((n: number) => {
      for (let i = 0; i < n; i++) insert.run('x'.repeat(3000));
    });
    // Writes back to back (as under load): a passive checkpoint never catches up with the end of the WAL,
    // which grows by the whole 40 MB of the first 200 transactions (~10 000 pages).
    for (let k = 0; k < 200; k++) write(50);
    const grown = fs.statSync(`${file}-wal`).size;
    expect(grown).toBeGreaterThan(35_000_000);
    // Now with a restart every 20 transactions (the writer thread does one every WAL_RESTART_MS, 10 s): the
    // WAL is reused from its start, so the next 40 MB hardly make the file longer. (The checkpointer
    // is stopped first: a restart that meets it mid-copy gives up until next time, which is fine in the
    // server but would make this count depend on timing.)
    worker.postMessage('stop');
    await once(worker, 'exit');
    let restarted = 0;
    for (let k = 0; k < 200; k++) {
      write(50);
      if (k % 20 === 0 && restartWal(db)) restarted++;
    }
    expect(restarted).toBeGreaterThan(0);
    expect(fs.statSync(`${file}-wal`).size).toBeLessThan(grown + 5_000_000);
    expect((db.prepare('select count(*) as n from t').get() as { n: number }).n).toBe(20_000);
    db.close();
  });
});
