/** `cli backup --out FILE`: a consistent online copy of the database (safe while the app runs). */
import { parseArgs } from 'node:util';
import { runtime } from '../../server/runtime';
import { backupDatabase, checkBackup } from '../../server/services/backup-database';

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) return void console.log('Usage: npm run cli -- backup --out FILE');
  if (!values.out) throw new Error('--out FILE is required');
  const r = await backupDatabase(runtime().db.$client, values.out);
  console.log(JSON.stringify({ ...r, ...checkBackup(r.file) }));
}
