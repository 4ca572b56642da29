/** `cli user create`: create an account from the command line (e.g. a first researcher). */
import { parseArgs } from 'node:util';
import { ROLES } from '../../db/schema';
import { runtime } from '../../server/runtime';
import { createAccount } from '../../server/services/create-account';

export async function run(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', default: 'labeler' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals[0] !== 'create') {
    console.log(`Usage: npm run cli -- user create --email E --password P [--name N] [--role ${ROLES.join('|')}]`);
    if (!values.help) process.exitCode = 2;
    return;
  }
  if (!values.email || !values.password) throw new Error('--email and --password are required');
  const role = ROLES.find((r) => r === values.role);
  if (!role) throw new Error(`--role must be one of ${ROLES.join(', ')} (got ${values.role})`);
  const u = await createAccount(runtime(), { email: values.email, password: values.password, name: values.name ?? values.email, role });
  console.log(JSON.stringify({ id: u.id, email: u.email, role: u.role }));
}
