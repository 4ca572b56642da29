/** `cli restore --from FILE`: checks a backup, then makes it the database (stop the app first). */
import { parseArgs } from 'node:util';
import { dbFile } from '../../db/client';
import { config } from '../../server/config';
import { checkBackup, restoreDatabase } from '../../server/services/backup-database';

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { from: { type: 'string' }, check: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) return void console.log('Usage: npm run cli -- restore --from FILE [--check]   (stop `npm start` and workers first)');
  if (!values.from) throw new Error('--from FILE is required');
  const stats = checkBackup(values.from);
  if (values.check) return void console.log(JSON.stringify({ ok: true, ...stats }));
  console.log(JSON.stringify({ ...restoreDatabase(values.from, dbFile(config().dataDir)), ...stats }));
}
