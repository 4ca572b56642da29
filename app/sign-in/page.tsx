import { redirect } from 'next/navigation';
import { currentUser } from '../_lib-session';
import { SignInForm } from './sign-in-form';

export const dynamic = 'force-dynamic';

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  const safeNext = next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
  if (await currentUser()) redirect(safeNext);
  return (
    <main className="flex min-h-full items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-xl font-semibold">DAgger Studio</h1>
        <p className="mt-1 text-sm text-slate-500">Sign in to label, train and review.</p>
        <SignInForm next={safeNext} />
      </div>
    </main>
  );
}
