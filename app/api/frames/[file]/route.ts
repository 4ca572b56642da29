import fs from 'node:fs';
import { sessionUser } from '@/server/auth';
import { runtime } from '@/server/runtime';
import { artifactPath } from '@/server/services/artifacts';

export const dynamic = 'force-dynamic';

/** GET /api/frames/{sha256}.{png|jpg} — an uploaded frame, for signed-in users (names are unguessable hashes). */
export async function GET(req: Request, { params }: { params: Promise<{ file: string }> }) {
  const rt = runtime();
  if (!(await sessionUser(rt, req.headers))) return Response.json({ error: 'Sign in first' }, { status: 401 });
  const m = /^([0-9a-f]{64})\.(png|jpg)$/.exec((await params).file);
  if (!m) return Response.json({ error: 'Bad frame name' }, { status: 400 });
  const file = artifactPath(rt.artifactsDir, 'frames', m[1]!, m[2]!);
  if (!fs.existsSync(file)) return Response.json({ error: 'Frame not found' }, { status: 404 });
  return new Response(new Uint8Array(fs.readFileSync(file)), {
    headers: { 'content-type': m[2] === 'png' ? 'image/png' : 'image/jpeg', 'cache-control': 'private, max-age=31536000, immutable' },
  });
}
