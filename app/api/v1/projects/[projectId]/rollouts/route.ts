import { handleV1Post } from '@/server/api/v1';
import { recordExternalRollout } from '@/server/services/record-external-rollout';

export const dynamic = 'force-dynamic';

/** POST /api/v1/projects/{id}/rollouts — a rollout of the deployed policy from an external simulator. */
export async function POST(req: Request, { params }: { params: Promise<{ projectId: string }> }) {
  return handleV1Post(req, (await params).projectId, (rt, projectId, json) => recordExternalRollout(rt, projectId, json));
}
