import { requireProjectResearcher } from '@/server/api/http-auth';
import { runtime } from '@/server/runtime';
import { exportJsonl, exportNpz } from '@/server/services/export-dataset';

export const dynamic = 'force-dynamic';

/** GET ?format=jsonl|npz — the project's dataset (excluded items left out). */
export async function GET(req: Request, { params }: { params: Promise<{ projectId: string }> }) {
  const rt = runtime();
  const check = await requireProjectResearcher(rt, req, (await params).projectId);
  if (!check.ok) return check.response;
  const format = new URL(req.url).searchParams.get('format') ?? 'jsonl';
  const name = `project-${check.projectId}-dataset`;
  if (format === 'jsonl') {
    return new Response(exportJsonl(rt.db, check.projectId!), {
      headers: { 'content-type': 'application/x-ndjson', 'content-disposition': `attachment; filename="${name}.jsonl"` },
    });
  }
  if (format === 'npz') {
    return new Response(new Uint8Array(exportNpz(rt.db, check.projectId!)), {
      headers: { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="${name}.npz"` },
    });
  }
  return Response.json({ error: `Unknown format ${format}: use jsonl or npz` }, { status: 400 });
}
