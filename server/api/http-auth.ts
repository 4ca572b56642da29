/** Session and project-role checks for plain route handlers (downloads), mirroring the tRPC procedures. */
import { sessionUser, type SessionUser } from '../auth';
import { projectRoleOf } from './trpc';
import type { Runtime } from '../runtime';

export type HttpCheck = { ok: true; user: SessionUser } | { ok: false; response: Response };

export async function requireProjectResearcher(rt: Runtime, req: Request, projectIdParam: string): Promise<HttpCheck & { projectId?: number }> {
  const projectId = Number(projectIdParam);
  if (!Number.isInteger(projectId) || projectId <= 0) return { ok: false, response: Response.json({ error: 'Bad project id' }, { status: 400 }) };
  const user = await sessionUser(rt, req.headers);
  if (!user) return { ok: false, response: Response.json({ error: 'Sign in first' }, { status: 401 }) };
  const role = projectRoleOf(rt.db, user, projectId);
  if (!role) return { ok: false, response: Response.json({ error: 'Project not found' }, { status: 404 }) };
  if (role !== 'researcher') return { ok: false, response: Response.json({ error: 'Researchers of this project only' }, { status: 403 }) };
  return { ok: true, user, projectId };
}
