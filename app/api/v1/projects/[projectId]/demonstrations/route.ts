import { handleV1Post } from '@/server/api/v1';
import { recordExternalDemonstration } from '@/server/services/record-external-rollout';

export const dynamic = 'force-dynamic';

/** POST /api/v1/projects/{id}/demonstrations — an expert demonstration (observations + expert actions). */
export async function POST(req: Request, { params }: { params: Promise<{ projectId: string }> }) {
  return handleV1Post(req, (await params).projectId, (rt, projectId, json) => recordExternalDemonstration(rt, projectId, json));
}
