import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from './client';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'db-client-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const plan = (db: ReturnType<typeof openDb>, text: string, ...params: unknown[]) =>
  (db.$client.prepare(`explain query plan ${text}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('\n');

describe('openDb', () => {
  const db = openDb(path.join(dir, 'a.sqlite'));

  it('opens in WAL mode with foreign keys on and journals of savepoints in memory', () => {
    expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
    // 2 = MEMORY: the group commit's savepoint journals never touch a temporary file.
    expect(db.$client.pragma('temp_store', { simple: true })).toBe(2);
  });

  it('keeps the labeling tables to the indexes the hot path needs', () => {
    const names = (table: string) => (db.$client.prepare(`select name from sqlite_master where type = 'index' and tbl_name = ? and sql is not null order by name`).pluck().all(table) as string[]);
    expect(names('task')).toEqual(['task_labeler_query_idx', 'task_query_labeler_idx']);
    expect(names('label')).toEqual(['label_client_idx', 'label_gold_idx', 'label_project_idx', 'label_query_idx']);
  });

  it("reads a labeler's gold labels through the partial gold index", () => {
    // Written as a literal `gold = 1`, as server/services/labeler-stats.ts does: with a bound value SQLite
    // could only pick the partial index by compiling the statement again for each value bound.
    expect(plan(db, 'select labeler_id from label where project_id = ? and labeler_id = ? and gold = 1', 1, 'x')).toMatch(/INDEX label_gold_idx/);
  });

  it("finds a labeler's leased tasks through the (labeler, query) index", () => {
    expect(plan(db, `select count(*) from task where labeler_id = ? and state = 'leased' and lease_expires_at > ?`, 'x', 0)).toMatch(/task_labeler_query_idx/);
  });
});
