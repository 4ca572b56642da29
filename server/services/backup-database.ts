/**
 * Online backup with SQLite's backup API (consistent while the app keeps writing), and a checked restore:
 * the candidate must pass `integrity_check` and carry this app's schema before it replaces anything; the
 * database it replaces is kept beside it, never deleted.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export async function backupDatabase(source: Database.Database, out: string): Promise<{ file: string; bytes: number; pages: number }> {
  const file = path.resolve(out);
  if (fs.existsSync(file)) throw new Error(`${file} already exists; choose a new file name`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.partial`;
  const r = await source.backup(tmp);
  fs.renameSync(tmp, file);
  return { file, bytes: fs.statSync(file).size, pages: r.totalPages };
}

const REQUIRED_TABLES = ['user', 'project', 'round', 'query', 'label', 'dataset_item', 'policy_version', 'job', '__drizzle_migrations'];

export function checkBackup(file: string): { tables: number; labels: number; datasetItems: number } {
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new Error(`${file} is not a SQLite database (${(e as Error).message})`);
  }
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`${file} failed integrity_check: ${String(integrity)}`);
    const tables = new Set((db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((r) => r.name));
    const missing = REQUIRED_TABLES.filter((t) => !tables.has(t));
    if (missing.length) throw new Error(`${file} is not a DAgger Studio database (missing tables: ${missing.join(', ')})`);
    const count = (t: string) => (db.prepare(`select count(*) as n from "${t}"`).get() as { n: number }).n;
    return { tables: tables.size, labels: count('label'), datasetItems: count('dataset_item') };
  } catch (e) {
    if (e instanceof Error && e.message.includes('file is not a database')) throw new Error(`${file} is not a SQLite database`);
    throw e;
  } finally {
    db.close();
  }
}

export function restoreDatabase(from: string, target: string): { replacedWith: string; previousKeptAt: string | null } {
  checkBackup(from);
  let kept: string | null = null;
  if (fs.existsSync(target)) {
    kept = `${target}.pre-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    // Fold the WAL into the main file first so the kept copy is complete.
    const cur = new Database(target);
    cur.pragma('wal_checkpoint(TRUNCATE)');
    cur.close();
    fs.renameSync(target, kept);
    for (const ext of ['-wal', '-shm']) if (fs.existsSync(target + ext)) fs.rmSync(target + ext);
  }
  fs.copyFileSync(from, `${target}.restoring`);
  fs.renameSync(`${target}.restoring`, target);
  return { replacedWith: from, previousKeptAt: kept };
}
