'use client';
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useTRPC } from '@/trpc/react';
import { authClient } from '../../_components/auth-client';

export function AcceptInviteForm({ token }: { token: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<string | null>(null);
  const accept = useMutation(trpc.invite.accept.mutationOptions());
  return (
    <form
      className="mt-6 space-y-4"
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const body = { token, email: String(f.get('email')), name: String(f.get('name')), password: String(f.get('password')) };
        setError(null);
        setFieldErrors({});
        try {
          await accept.mutateAsync(body);
          await authClient.signIn.email({ email: body.email, password: body.password });
          router.replace('/label');
          router.refresh();
        } catch (err) {
          const data = (err as { data?: { fieldErrors?: Record<string, string[]> } }).data;
          setFieldErrors(data?.fieldErrors ?? {});
          setError((err as Error).message);
        }
      }}
    >
      {(['name', 'email', 'password'] as const).map((name) => (
        <label key={name} className="block text-sm font-medium capitalize">
          {name}
          <input
            name={name}
            type={name === 'password' ? 'password' : name === 'email' ? 'email' : 'text'}
            required
            className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2"
          />
          {fieldErrors[name]?.map((m) => (
            <span key={m} className="mt-1 block text-xs text-red-600">
              {m}
            </span>
          ))}
        </label>
      ))}
      {error && (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      )}
      <button type="submit" disabled={accept.isPending} className="w-full rounded-md bg-indigo-600 px-3 py-2 font-medium text-white">
        Create account and start labeling
      </button>
    </form>
  );
}
