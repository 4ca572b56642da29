/** The researcher's view of one project: settings, rounds with progress, policy versions, deployments. */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { datasetItem, deployment, job, label, policyVersion, project, projectMember, query, round, user } from '@/db/schema';
import { getEnv } from '@/envs/registry';
import { notFound } from '../errors';
import type { BaselinePoint } from '../jobs/baseline-job';
import { deployedPolicy } from './deploy-policy';
import { projectSettings } from './project-settings';

export function getProject(db: Db, projectId: number) {
  const p = db.select().from(project).where(eq(project.id, projectId)).get();
  if (!p) throw notFound('Project');
  const settings = projectSettings(db, projectId);
  const rounds = db.select().from(round).where(eq(round.projectId, projectId)).orderBy(asc(round.index)).all();
  const roundIds = rounds.map((r) => r.id);
  const count = <T extends { roundId: number }>(rows: T[]) => new Map(rows.map((r) => [r.roundId, r]));
  const queries = roundIds.length
    ? count(
        db
          .select({ roundId: query.roundId, total: sql<number>`count(*)`, resolved: sql<number>`sum(case when ${query.status} = 'resolved' then 1 else 0 end)` })
          .from(query)
          .where(inArray(query.roundId, roundIds))
          .groupBy(query.roundId)
          .all(),
      )
    : new Map();
  const labels = roundIds.length
    ? count(
        db
          .select({ roundId: query.roundId, n: sql<number>`count(*)` })
          .from(label)
          .innerJoin(query, eq(query.id, label.queryId))
          .where(inArray(query.roundId, roundIds))
          .groupBy(query.roundId)
          .all(),
      )
    : new Map();
  const items = roundIds.length
    ? count(
        db
          .select({ roundId: datasetItem.roundId, n: sql<number>`count(*)`, agreement: sql<number>`avg(${datasetItem.agreement})` })
          .from(datasetItem)
          .where(inArray(datasetItem.roundId, roundIds))
          .groupBy(datasetItem.roundId)
          .all(),
      )
    : new Map();
  const jobs = db
    .select()
    .from(job)
    .where(and(eq(job.projectId, projectId), inArray(job.state, ['queued', 'running'])))
    .orderBy(asc(job.id))
    .all();
  const versions = db.select().from(policyVersion).where(eq(policyVersion.projectId, projectId)).orderBy(asc(policyVersion.version)).all();
  const deployments = db.select().from(deployment).where(eq(deployment.projectId, projectId)).orderBy(desc(deployment.id)).limit(50).all();
  const members = db
    .select({ userId: user.id, email: user.email, name: user.name, role: projectMember.role })
    .from(projectMember)
    .innerJoin(user, eq(user.id, projectMember.userId))
    .where(eq(projectMember.projectId, projectId))
    .all();
  // The latest finished behaviour-cloning baseline (its figures are the job's result).
  const baselineJob = db
    .select({ result: job.result })
    .from(job)
    .where(and(eq(job.projectId, projectId), eq(job.type, 'baseline.bc'), eq(job.state, 'done')))
    .orderBy(desc(job.id))
    .limit(1)
    .get();
  const baseline = ((baselineJob?.result as { points?: BaselinePoint[] } | null)?.points ?? []) as BaselinePoint[];
  let cumulative = 0;
  return {
    baseline,
    id: p.id,
    name: p.name,
    envId: p.envId,
    envRewardThreshold: p.envId ? getEnv(p.envId).rewardThreshold : null,
    settings,
    members,
    deployed: deployedPolicy(db, projectId),
    versions,
    deployments,
    rounds: rounds.map((r) => {
      const q = queries.get(r.id) as { total: number; resolved: number } | undefined;
      const it = items.get(r.id) as { n: number; agreement: number } | undefined;
      cumulative += it?.n ?? 0;
      const roundJobs = jobs.filter((j) => (j.payload as { roundId?: number } | null)?.roundId === r.id);
      return {
        ...r,
        queries: q?.total ?? 0,
        resolved: q?.resolved ?? 0,
        labels: (labels.get(r.id) as { n: number } | undefined)?.n ?? 0,
        newItems: it?.n ?? 0,
        datasetSize: cumulative,
        meanAgreement: it?.agreement ?? null,
        jobs: roundJobs.map((j) => ({ id: j.id, type: j.type, state: j.state, progress: j.progress, message: j.progressMessage, detail: j.progressDetail })),
      };
    }),
    otherJobs: jobs
      .filter((j) => !(j.payload as { roundId?: number } | null)?.roundId)
      .map((j) => ({ id: j.id, type: j.type, state: j.state, progress: j.progress, message: j.progressMessage })),
  };
}
