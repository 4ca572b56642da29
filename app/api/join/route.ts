import { NextResponse } from 'next/server';
import { DomainError } from '@/server/errors';
import { runtime } from '@/server/runtime';
import { joinCrowd } from '@/server/services/invites';

export const dynamic = 'force-dynamic';

/** GET /api/join?token=…&pid=… — admits a crowd participant, signs them in, sends them to /label. */
export async function GET(req: Request) {
  const rt = runtime();
  const url = new URL(req.url);
  try {
    const creds = await joinCrowd(rt, { token: url.searchParams.get('token') ?? '', pid: url.searchParams.get('pid') ?? '' });
    const res = await rt.auth.api.signInEmail({ body: { email: creds.email, password: creds.password }, asResponse: true });
    const out = NextResponse.redirect(new URL('/label', rt.config.baseUrl), 303);
    for (const c of res.headers.getSetCookie()) out.headers.append('set-cookie', c);
    return out;
  } catch (e) {
    const message = e instanceof DomainError ? e.message : e instanceof Error && e.name === 'ZodError' ? 'A participant id (?pid=) is required' : 'Could not join';
    if (!(e instanceof DomainError)) console.error('[join]', e);
    return new NextResponse(`<!doctype html><title>DAgger Studio</title><p style="font-family:sans-serif;padding:2rem" role="alert">${message.replace(/[<>&]/g, '')}</p>`, {
      status: e instanceof DomainError && e.code === 'NOT_FOUND' ? 404 : 403,
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });
  }
}
