/** Dataset review: a filtered, paged table of dataset items, and one item with its labels and labelers. */
import { and, asc, desc, eq, exists, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { DATASET_SOURCES, datasetEvent, datasetItem, label, round, user } from '@/db/schema';
import { notFound } from '../errors';

export const listDatasetInput = z.object({
  projectId: z.number().int().positive(),
  page: z.number().int().min(0).default(0),
  pageSize: z.number().int().min(1).max(200).default(50),
  round: z.number().int().min(0).optional(),
  source: z.enum(DATASET_SOURCES).optional(),
  labelerId: z.string().optional(),
  /** Discrete action index (continuous actions cannot be filtered by value). */
  action: z.number().int().min(0).optional(),
  agreementBelow: z.number().min(0).max(1).optional(),
  excluded: z.boolean().optional(),
});

export function listDataset(db: Db, raw: z.input<typeof listDatasetInput>) {
  const input = listDatasetInput.parse(raw);
  const where = and(
    eq(datasetItem.projectId, input.projectId),
    input.round !== undefined ? eq(round.index, input.round) : undefined,
    input.source ? eq(datasetItem.source, input.source) : undefined,
    input.action !== undefined ? sql`${datasetItem.action} = ${JSON.stringify(input.action)}` : undefined,
    input.agreementBelow !== undefined ? lt(datasetItem.agreement, input.agreementBelow) : undefined,
    input.excluded !== undefined ? eq(datasetItem.excluded, input.excluded) : undefined,
    input.labelerId
      ? exists(db.select({ one: sql`1` }).from(label).where(and(eq(label.queryId, datasetItem.queryId), eq(label.labelerId, input.labelerId))))
      : undefined,
  );
  const total =
    db.select({ n: sql<number>`count(*)` }).from(datasetItem).innerJoin(round, eq(round.id, datasetItem.roundId)).where(where).get()?.n ?? 0;
  const items = db
    .select({
      id: datasetItem.id,
      round: round.index,
      source: datasetItem.source,
      action: datasetItem.action,
      agreement: datasetItem.agreement,
      labelCount: datasetItem.labelCount,
      excluded: datasetItem.excluded,
      t: datasetItem.t,
      createdAt: datasetItem.createdAt,
    })
    .from(datasetItem)
    .innerJoin(round, eq(round.id, datasetItem.roundId))
    .where(where)
    .orderBy(asc(datasetItem.id))
    .limit(input.pageSize)
    .offset(input.page * input.pageSize)
    .all();
  return { total, page: input.page, pageSize: input.pageSize, items };
}

export function getDatasetItem(db: Db, projectId: number, itemId: number) {
  const item = db
    .select({ item: datasetItem, round: round.index })
    .from(datasetItem)
    .innerJoin(round, eq(round.id, datasetItem.roundId))
    .where(and(eq(datasetItem.id, itemId), eq(datasetItem.projectId, projectId)))
    .get();
  if (!item) throw notFound('Dataset item');
  const labels = item.item.queryId
    ? db
        .select({ id: label.id, action: label.action, unsure: label.unsure, timeMs: label.timeMs, mode: label.mode, createdAt: label.createdAt, email: user.email, name: user.name })
        .from(label)
        .innerJoin(user, eq(user.id, label.labelerId))
        .where(eq(label.queryId, item.item.queryId))
        .orderBy(asc(label.id))
        .all()
    : [];
  const events = db.select().from(datasetEvent).where(eq(datasetEvent.datasetItemId, itemId)).orderBy(desc(datasetEvent.id)).all();
  return { ...item.item, round: item.round, labels, events };
}
