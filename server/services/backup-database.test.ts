import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTestRuntime, makeUser } from '../test-utils';
import { backupDatabase, checkBackup, restoreDatabase } from './backup-database';

describe('backup and restore', () => {
  it('copies a live database consistently and restores it, keeping the replaced file', async () => {
    const rt = makeTestRuntime();
    await makeUser(rt, 'admin');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backup-'));
    const out = path.join(dir, 'copy.sqlite');
    const r = await backupDatabase(rt.db.$client, out);
    expect(r.bytes).toBeGreaterThan(0);
    await expect(backupDatabase(rt.db.$client, out)).rejects.toThrow(/already exists/);
    expect(checkBackup(out).tables).toBeGreaterThan(5);

    const target = path.join(dir, 'target.sqlite');
    fs.copyFileSync(out, target);
    const res = restoreDatabase(out, target);
    expect(res.previousKeptAt && fs.existsSync(res.previousKeptAt)).toBeTruthy();
    expect(checkBackup(target).tables).toBe(checkBackup(out).tables);
    rt.cleanup();
  });

  it('refuses files that are not this app’s database, touching nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backup-'));
    const junk = path.join(dir, 'junk.sqlite');
    fs.writeFileSync(junk, 'this is not sqlite at all, just text padding '.repeat(200));
    const target = path.join(dir, 'target.sqlite');
    fs.writeFileSync(target, 'original');
    expect(() => restoreDatabase(junk, target)).toThrow(/not a SQLite database/);
    expect(fs.readFileSync(target, 'utf8')).toBe('original');
    expect(() => checkBackup(path.join(dir, 'missing'))).toThrow(/does not exist/);
  });
});
