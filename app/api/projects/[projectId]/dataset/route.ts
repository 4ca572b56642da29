import { z } from 'zod';
import { requireProjectResearcher } from '@/server/api/http-auth';
import { runtime } from '@/server/runtime';
import { DATASET_FORMATS, exportJsonl, exportMinari, exportNpz } from '@/server/services/export-dataset';

export const dynamic = 'force-dynamic';

const formatSchema = z.enum(DATASET_FORMATS);

/** GET ?format=jsonl|npz|minari — the project's dataset (excluded items left out). */
export async function GET(req: Request, { params }: { params: Promise<{ projectId: string }> }) {
  const rt = runtime();
  const check = await requireProjectResearcher(rt, req, (await params).projectId);
  if (!check.ok) return check.response;
  const requested = new URL(req.url).searchParams.get('format') ?? 'jsonl';
  const format = formatSchema.safeParse(requested);
  if (!format.success) {
    return Response.json({ error: `Unknown format ${requested}: use ${DATASET_FORMATS.slice(0, -1).join(', ')} or ${DATASET_FORMATS.at(-1)}` }, { status: 400 });
  }
  const name = `project-${check.projectId}-dataset`;
  switch (format.data) {
    case 'jsonl':
      return new Response(exportJsonl(rt.db, check.projectId!), {
        headers: { 'content-type': 'application/x-ndjson', 'content-disposition': `attachment; filename="${name}.jsonl"` },
      });
    case 'npz':
      return new Response(new Uint8Array(exportNpz(rt.db, check.projectId!)), {
        headers: { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="${name}.npz"` },
      });
    case 'minari':
      return new Response(new Uint8Array(await exportMinari(rt.db, check.projectId!)), {
        headers: { 'content-type': 'application/zip', 'content-disposition': `attachment; filename="${name}-minari.zip"` },
      });
  }
}
