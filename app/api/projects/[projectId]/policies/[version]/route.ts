import fs from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { policyVersion } from '@/db/schema';
import { requireProjectResearcher } from '@/server/api/http-auth';
import { policyFilePath } from '@/server/services/artifacts';
import { runtime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/** GET — the ONNX file of one policy version of the project. */
export async function GET(req: Request, { params }: { params: Promise<{ projectId: string; version: string }> }) {
  const rt = runtime();
  const p = await params;
  const check = await requireProjectResearcher(rt, req, p.projectId);
  if (!check.ok) return check.response;
  const version = Number(p.version);
  const v = Number.isInteger(version)
    ? rt.db.select().from(policyVersion).where(and(eq(policyVersion.projectId, check.projectId!), eq(policyVersion.version, version))).get()
    : undefined;
  if (!v) return Response.json({ error: 'Policy version not found' }, { status: 404 });
  const bytes = fs.readFileSync(policyFilePath(rt.artifactsDir, v.sha256));
  return new Response(new Uint8Array(bytes), {
    headers: {
      'content-type': 'application/octet-stream',
      'content-disposition': `attachment; filename="project-${check.projectId}-policy-v${v.version}.onnx"`,
      etag: `"${v.sha256}"`,
    },
  });
}
