import { redirect } from 'next/navigation';
import { DomainError } from '@/server/errors';
import { runtime } from '@/server/runtime';
import { describeInvite } from '@/server/services/invites';
import { AcceptInviteForm } from './accept-invite-form';

export const dynamic = 'force-dynamic';

export default async function JoinPage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<{ pid?: string }> }) {
  const { token } = await params;
  const { pid } = await searchParams;
  let invite: ReturnType<typeof describeInvite> | null = null;
  let error: string | null = null;
  try {
    invite = describeInvite(runtime(), token);
  } catch (e) {
    error = e instanceof DomainError ? e.message : 'This link is not valid';
  }
  if (invite?.kind === 'crowd' && pid) redirect(`/api/join?token=${encodeURIComponent(token)}&pid=${encodeURIComponent(pid)}`);
  return (
    <main className="flex min-h-full items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-xl font-semibold">Join DAgger Studio</h1>
        {error && (
          <p role="alert" className="mt-4 text-sm text-red-600">
            {error}
          </p>
        )}
        {invite?.full && <p role="alert" className="mt-4 text-sm text-red-600">This link has been used up.</p>}
        {invite && !invite.full && invite.kind === 'crowd' && (
          <p className="mt-4 text-sm text-slate-600">This is a study link: open it from your study platform so that it carries your participant id (…?pid=YOUR_ID).</p>
        )}
        {invite && !invite.full && invite.kind === 'account' && <AcceptInviteForm token={token} />}
      </div>
    </main>
  );
}
