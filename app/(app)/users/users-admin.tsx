'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/trpc/react';

export function UsersAdmin() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const users = useQuery(trpc.user.list.queryOptions());
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<string | null>(null);
  const create = useMutation(
    trpc.user.create.mutationOptions({
      onSuccess: () => qc.invalidateQueries({ queryKey: trpc.user.list.queryKey() }),
    }),
  );
  return (
    <div className="mt-6 grid gap-8 lg:grid-cols-[1fr_20rem]">
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm" data-testid="users-table">
          <thead className="bg-slate-50 text-slate-500">
            <tr>
              <th className="px-3 py-2">Email</th>
              <th className="px-3 py-2">Name</th>
              <th className="px-3 py-2">Role</th>
            </tr>
          </thead>
          <tbody>
            {users.data?.map((u) => (
              <tr key={u.id} className="border-t border-slate-100">
                <td className="px-3 py-2">{u.email}</td>
                <td className="px-3 py-2">{u.name}</td>
                <td className="px-3 py-2">{u.role}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form
        className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
        aria-label="Create account"
        onSubmit={async (e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const f = new FormData(form);
          setError(null);
          setFieldErrors({});
          try {
            await create.mutateAsync({
              email: String(f.get('email')),
              name: String(f.get('name')),
              password: String(f.get('password')),
              role: String(f.get('role')) as 'admin' | 'researcher' | 'labeler',
            });
            form.reset();
          } catch (err) {
            setFieldErrors((err as { data?: { fieldErrors?: Record<string, string[]> } }).data?.fieldErrors ?? {});
            setError((err as Error).message);
          }
        }}
      >
        <h2 className="font-medium">New account</h2>
        {(['email', 'name', 'password'] as const).map((name) => (
          <label key={name} className="block text-sm capitalize">
            {name}
            <input name={name} type={name === 'password' ? 'password' : 'text'} required className="mt-1 w-full rounded border border-slate-300 px-2 py-1.5" />
            {fieldErrors[name]?.map((m) => (
              <span key={m} className="block text-xs text-red-600">
                {m}
              </span>
            ))}
          </label>
        ))}
        <label className="block text-sm">
          Role
          <select name="role" defaultValue="labeler" className="mt-1 w-full rounded border border-slate-300 px-2 py-1.5">
            <option value="labeler">labeler</option>
            <option value="researcher">researcher</option>
            <option value="admin">admin</option>
          </select>
        </label>
        {error && (
          <p role="alert" className="text-sm text-red-600">
            {error}
          </p>
        )}
        <button type="submit" disabled={create.isPending} className="w-full rounded bg-indigo-600 px-3 py-2 text-sm font-medium text-white">
          Create account
        </button>
      </form>
    </div>
  );
}
