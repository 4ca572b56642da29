/** Projects visible to a user (admins see all), with their current round and deployed version. */
import { desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { datasetItem, project, projectMember, round } from '@/db/schema';
import type { SessionUser } from '../auth';
import { deployedPolicy } from './deploy-policy';

export function listProjects(db: Db, u: SessionUser) {
  const rows =
    u.role === 'admin'
      ? db.select().from(project).orderBy(desc(project.id)).all()
      : db
          .select({ project })
          .from(project)
          .innerJoin(projectMember, eq(projectMember.projectId, project.id))
          .where(eq(projectMember.userId, u.id))
          .orderBy(desc(project.id))
          .all()
          .map((r) => r.project);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const sizes = new Map(
    db
      .select({ projectId: datasetItem.projectId, n: sql<number>`count(*)` })
      .from(datasetItem)
      .where(inArray(datasetItem.projectId, ids))
      .groupBy(datasetItem.projectId)
      .all()
      .map((r) => [r.projectId, r.n]),
  );
  return rows.map((p) => {
    const last = db.select().from(round).where(eq(round.projectId, p.id)).orderBy(desc(round.index)).limit(1).get();
    const deployed = deployedPolicy(db, p.id);
    return {
      id: p.id,
      name: p.name,
      envId: p.envId,
      createdAt: p.createdAt,
      currentRound: last ? { index: last.index, phase: last.phase } : null,
      deployedVersion: deployed?.version ?? null,
      datasetSize: sizes.get(p.id) ?? 0,
    };
  });
}
