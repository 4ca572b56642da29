import fs from 'node:fs';
import { runtime } from '@/server/runtime';
import { checkApiToken } from '@/server/services/api-tokens';
import { deployedPolicy } from '@/server/services/deploy-policy';
import { policyFilePath } from '@/server/services/artifacts';

export const dynamic = 'force-dynamic';

/** GET /api/v1/projects/{id}/policy — the deployed ONNX policy; ETag is its SHA-256 (If-None-Match → 304). */
export async function GET(req: Request, { params }: { params: Promise<{ projectId: string }> }) {
  const rt = runtime();
  const projectId = Number((await params).projectId);
  if (!Number.isInteger(projectId) || projectId <= 0) return Response.json({ error: 'Bad project id' }, { status: 400 });
  const auth = checkApiToken(rt.db, req.headers.get('authorization'), projectId);
  if (!auth.ok) return Response.json({ error: auth.error }, { status: auth.status });
  const v = deployedPolicy(rt.db, projectId);
  if (!v) return Response.json({ error: 'No policy is deployed yet' }, { status: 404 });
  const etag = `"${v.sha256}"`;
  const headers = { etag, 'x-policy-version': String(v.version), 'cache-control': 'no-cache' };
  if (req.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(fs.readFileSync(policyFilePath(rt.artifactsDir, v.sha256))), {
    headers: { ...headers, 'content-type': 'application/octet-stream' },
  });
}
