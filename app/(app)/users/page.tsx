import { redirect } from 'next/navigation';
import { requireUser } from '../../_lib-session';
import { UsersAdmin } from './users-admin';

export const dynamic = 'force-dynamic';

export default async function UsersPage() {
  const user = await requireUser('/users');
  if (user.role !== 'admin') redirect('/');
  return (
    <section>
      <h1 className="text-2xl font-semibold">Accounts</h1>
      <p className="mt-1 text-sm text-slate-600">Create accounts for researchers and in-lab labelers. Crowd workers join through a project’s study link instead.</p>
      <UsersAdmin />
    </section>
  );
}
