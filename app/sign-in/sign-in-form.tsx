'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { authClient } from '../_components/auth-client';

export function SignInForm({ next }: { next: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <form
      className="mt-6 space-y-4"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        setPending(true);
        setError(null);
        const { error } = await authClient.signIn.email({
          email: String(form.get('email') ?? ''),
          password: String(form.get('password') ?? ''),
        });
        setPending(false);
        if (error) setError(error.status === 429 ? 'Too many attempts; wait a minute.' : (error.message ?? 'Sign-in failed'));
        else {
          router.replace(next);
          router.refresh();
        }
      }}
    >
      <label className="block text-sm font-medium">
        Email
        <input name="email" type="email" required autoComplete="username" autoFocus className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2" />
      </label>
      <label className="block text-sm font-medium">
        Password
        <input name="password" type="password" required autoComplete="current-password" className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2" />
      </label>
      {error && (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      )}
      <button type="submit" disabled={pending} className="w-full rounded-md bg-indigo-600 px-3 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60">
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
