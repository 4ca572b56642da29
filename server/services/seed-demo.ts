/**
 * On first start: a demo LaneFollow-v0 project owned by the admin, seeded with scripted demonstrations;
 * the worker then trains the round-0 policy by behaviour cloning and deploys it.
 */
import { eq } from 'drizzle-orm';
import { project, user } from '@/db/schema';
import type { Runtime } from '../runtime';
import { createProject } from './create-project';
import { requestDemonstrations } from './request-demonstrations';

export const DEMO_PROJECT_NAME = 'Demo: LaneFollow-v0';

export async function seedDemo(rt: Runtime, opts: { log: (m: string) => void }): Promise<{ projectId: number } | null> {
  const existing = rt.db.select({ id: project.id }).from(project).where(eq(project.name, DEMO_PROJECT_NAME)).get();
  if (existing) return { projectId: existing.id };
  const admin = rt.db.select().from(user).where(eq(user.role, 'admin')).get();
  if (!admin) return null;
  const { id } = createProject(rt, { id: admin.id, email: admin.email, name: admin.name, role: 'admin' }, {
    name: DEMO_PROJECT_NAME,
    envId: 'LaneFollow-v0',
    config: {},
  });
  requestDemonstrations(rt, { projectId: id, episodes: 2, thenTrain: true });
  opts.log(`created project ${id} (${DEMO_PROJECT_NAME}); the worker records 2 scripted demonstrations and trains round 0`);
  return { projectId: id };
}
