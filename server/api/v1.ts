/** Shared handling of the external HTTP API: token check, body size limit, one error shape. */
import { DomainError } from '../errors';
import { runtime, type Runtime } from '../runtime';
import { checkApiToken } from '../services/api-tokens';

/** Largest request body accepted by POST endpoints (bytes): 2 MB frames × a few steps need batching. */
export const MAX_BODY_BYTES = 50_000_000;

const STATUS: Record<string, number> = { BAD_INPUT: 400, NOT_FOUND: 404, FORBIDDEN: 403, UNAUTHORIZED: 401, CONFLICT: 409, PRECONDITION: 409, TOO_MANY: 429 };

export async function handleV1Post(
  req: Request,
  projectIdParam: string,
  body: (rt: Runtime, projectId: number, json: unknown) => unknown,
): Promise<Response> {
  const rt = runtime();
  const projectId = Number(projectIdParam);
  if (!Number.isInteger(projectId) || projectId <= 0) return Response.json({ error: 'Bad project id' }, { status: 400 });
  const auth = checkApiToken(rt.db, req.headers.get('authorization'), projectId);
  if (!auth.ok) return Response.json({ error: auth.error }, { status: auth.status });
  const declared = Number(req.headers.get('content-length') ?? 0);
  if (declared > MAX_BODY_BYTES) return Response.json({ error: `Body too large (${declared} bytes; limit ${MAX_BODY_BYTES})` }, { status: 413 });
  const text = await req.text();
  if (text.length > MAX_BODY_BYTES) return Response.json({ error: `Body too large (limit ${MAX_BODY_BYTES} bytes)` }, { status: 413 });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return Response.json({ error: 'Body is not valid JSON' }, { status: 400 });
  }
  try {
    return Response.json(body(rt, projectId, json), { status: 201 });
  } catch (e) {
    if (e instanceof DomainError) return Response.json({ error: e.message }, { status: STATUS[e.code] ?? 400 });
    console.error('[api v1]', e);
    return Response.json({ error: 'Internal error' }, { status: 500 });
  }
}
