'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/trpc/react';
import { EmptyState, Field, buttonClass, fieldErrorsOf, inputClass, secondaryButtonClass } from '../../../_components/form';

export function Members({ projectId, members }: { projectId: number; members: { userId: string; email: string; name: string; role: string }[] }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [msg, setMsg] = useState<string | null>(null);
  const add = useMutation(trpc.project.addMember.mutationOptions({ onSuccess: () => qc.invalidateQueries({ queryKey: trpc.project.get.queryKey({ projectId }) }) }));
  const invites = useQuery(trpc.invite.list.queryOptions({ projectId }));
  const createInvite = useMutation(trpc.invite.create.mutationOptions({ onSuccess: () => invites.refetch() }));
  const revokeInvite = useMutation(trpc.invite.revoke.mutationOptions({ onSuccess: () => invites.refetch() }));
  const tokens = useQuery(trpc.token.list.queryOptions({ projectId }));
  const createToken = useMutation(trpc.token.create.mutationOptions({ onSuccess: () => tokens.refetch() }));
  const revokeToken = useMutation(trpc.token.revoke.mutationOptions({ onSuccess: () => tokens.refetch() }));
  const labelers = useQuery(trpc.project.labelers.queryOptions({ projectId }));
  const [newToken, setNewToken] = useState<string | null>(null);
  const origin = typeof window === 'undefined' ? '' : window.location.origin;
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <div className="space-y-3">
        <h2 className="text-lg font-medium">Members</h2>
        <ul className="rounded-lg border border-slate-200 bg-white text-sm" data-testid="members">
          {members.map((m) => (
            <li key={m.userId} className="flex justify-between border-b border-slate-100 px-3 py-2 last:border-0">
              <span>{m.email}</span>
              <span className="text-slate-500">{m.role}</span>
            </li>
          ))}
        </ul>
        <form
          className="flex flex-wrap items-end gap-2"
          aria-label="Add member"
          onSubmit={async (e) => {
            e.preventDefault();
            const form = e.currentTarget;
            const f = new FormData(form);
            setErrors({});
            setMsg(null);
            try {
              await add.mutateAsync({ projectId, email: String(f.get('email')), role: String(f.get('role')) as 'labeler' | 'researcher' });
              form.reset();
            } catch (err) {
              setErrors(fieldErrorsOf(err));
              setMsg((err as Error).message);
            }
          }}
        >
          <Field label="Add by email" errors={errors.email}>
            <input name="email" className={inputClass} placeholder="labeler@lab.org" />
          </Field>
          <select name="role" className={`${inputClass} w-32`} aria-label="Role" defaultValue="labeler">
            <option value="labeler">labeler</option>
            <option value="researcher">researcher</option>
          </select>
          <button className={buttonClass}>Add</button>
        </form>
        {msg && <p role="alert" className="text-sm text-red-600">{msg}</p>}

        <h3 className="pt-2 font-medium">Invitation and study links</h3>
        <div className="flex flex-wrap gap-2">
          <button className={secondaryButtonClass} onClick={() => createInvite.mutate({ projectId, kind: 'account', maxUses: 20 })}>
            New labeler invite (20 uses, 7 days)
          </button>
          <button className={secondaryButtonClass} data-testid="create-crowd-link" onClick={() => createInvite.mutate({ projectId, kind: 'crowd', maxUses: 500, taskCap: 20 })}>
            New crowd link (20 tasks each)
          </button>
        </div>
        <ul className="space-y-1 text-sm" data-testid="invites">
          {invites.data?.map((i) => (
            <li key={i.id} className="flex flex-wrap items-center gap-2 rounded border border-slate-200 bg-white px-2 py-1">
              <span className="rounded bg-slate-100 px-1 text-xs">{i.kind}</span>
              <code className="break-all text-xs" data-testid="invite-url">{`${origin}${i.path}${i.kind === 'crowd' ? '?pid=PARTICIPANT_ID' : ''}`}</code>
              <span className="text-xs text-slate-500">
                {i.uses}/{i.maxUses} used{i.taskCap ? ` · ${i.taskCap} tasks` : ''}
                {i.revokedAt ? ' · revoked' : ''}
              </span>
              {!i.revokedAt && (
                <button className="ml-auto text-xs text-red-700 hover:underline" onClick={() => revokeInvite.mutate({ projectId, inviteId: i.id })}>
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      </div>

      <div className="space-y-3">
        <h2 className="text-lg font-medium">Labelers</h2>
        {labelers.data && labelers.data.length === 0 ? (
          <EmptyState title="No labels yet">Add labelers or share a crowd link; their accuracy on gold states appears here.</EmptyState>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-left text-xs" data-testid="labeler-stats">
              <thead className="bg-slate-50 text-slate-500">
                <tr>
                  <th className="px-2 py-1">Labeler</th>
                  <th className="px-2 py-1">Labels</th>
                  <th className="px-2 py-1">Gold accuracy</th>
                  <th className="px-2 py-1">Agreement</th>
                  <th className="px-2 py-1">Labels/min</th>
                  <th className="px-2 py-1">Median time</th>
                  <th className="px-2 py-1">Weight</th>
                </tr>
              </thead>
              <tbody>
                {labelers.data?.map((l) => (
                  <tr key={l.labelerId} className={`border-t border-slate-100 ${l.flagged ? 'bg-red-50' : ''}`}>
                    <td className="px-2 py-1">{l.email}{l.flagged && <span className="ml-1 text-red-700">flagged</span>}</td>
                    <td className="px-2 py-1">{l.labels}</td>
                    <td className="px-2 py-1">{l.goldAccuracy === null ? '—' : `${(l.goldAccuracy * 100).toFixed(0)}% (${l.goldCorrect}/${l.goldTotal})`}</td>
                    <td className="px-2 py-1">{l.agreementWithConsensus === null ? '—' : `${(l.agreementWithConsensus * 100).toFixed(0)}%`}</td>
                    <td className="px-2 py-1">{l.labelsPerMinute === null ? '—' : l.labelsPerMinute.toFixed(1)}</td>
                    <td className="px-2 py-1">{l.medianTimeMs === null ? '—' : `${(l.medianTimeMs / 1000).toFixed(2)} s`}</td>
                    <td className="px-2 py-1">{l.weight.toFixed(2)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}

        <h3 className="pt-2 font-medium">API tokens (external simulators)</h3>
        <form
          className="flex gap-2"
          onSubmit={async (e) => {
            e.preventDefault();
            const form = e.currentTarget;
            const r = await createToken.mutateAsync({ projectId, name: String(new FormData(form).get('name') || 'simulator') });
            setNewToken(r.token);
            form.reset();
          }}
        >
          <input name="name" className={inputClass} placeholder="token name, e.g. isaac-rig-1" aria-label="Token name" />
          <button className={secondaryButtonClass}>Create token</button>
        </form>
        {newToken && (
          <p className="rounded bg-amber-50 p-2 text-xs">
            Copy it now, it is shown once: <code className="break-all" data-testid="new-token">{newToken}</code> — see <a className="underline" href="/api-docs">the API docs</a>.
          </p>
        )}
        <ul className="space-y-1 text-xs">
          {tokens.data?.map((t) => (
            <li key={t.id} className="flex items-center gap-2">
              <code>{t.prefix}…</code> {t.name} {t.revokedAt ? '(revoked)' : ''}
              {!t.revokedAt && (
                <button className="ml-auto text-red-700 hover:underline" onClick={() => revokeToken.mutate({ projectId, tokenId: t.id })}>
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
