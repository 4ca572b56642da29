import Link from 'next/link';
import { requireUser } from '../_lib-session';
import { SignOutButton } from '../_components/sign-out-button';

export const dynamic = 'force-dynamic';

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  return (
    <div className="flex min-h-full flex-col">
      <header className="border-b border-slate-200 bg-white">
        <nav className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-1 px-4 py-2">
          <Link href="/" className="font-semibold text-indigo-700">
            DAgger Studio
          </Link>
          {user.role !== 'labeler' && (
            <Link href="/projects" className="text-sm text-slate-700 hover:underline">
              Projects
            </Link>
          )}
          <Link href="/label" className="text-sm text-slate-700 hover:underline">
            Label
          </Link>
          {user.role === 'admin' && (
            <Link href="/users" className="text-sm text-slate-700 hover:underline">
              Accounts
            </Link>
          )}
          <span className="ml-auto text-sm text-slate-500" data-testid="signed-in-as">
            {user.email} · {user.role}
          </span>
          <SignOutButton />
        </nav>
      </header>
      <main className="mx-auto w-full max-w-6xl flex-1 px-4 py-6">{children}</main>
    </div>
  );
}
