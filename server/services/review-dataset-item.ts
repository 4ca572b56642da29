/**
 * Reviewer actions on a dataset item: exclude it from training, include it again, or send its state back
 * for relabeling (a new query in the current labeling round, or the next one). Each is recorded as an
 * event; nothing is deleted.
 */
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { datasetEvent, datasetItem, query, round } from '@/db/schema';
import { notFound, precondition } from '../errors';
import type { Runtime } from '../runtime';
import { projectSettings } from './project-settings';

export const reviewItemInput = z.object({
  projectId: z.number().int().positive(),
  itemId: z.number().int().positive(),
  kind: z.enum(['exclude', 'include', 'relabel']),
  reason: z.string().trim().max(500).optional(),
});

export function reviewDatasetItem(rt: Runtime, byUserId: string, raw: z.input<typeof reviewItemInput>, now = Date.now()) {
  const input = reviewItemInput.parse(raw);
  return rt.db.transaction(
    (tx) => {
      const item = tx.select().from(datasetItem).where(and(eq(datasetItem.id, input.itemId), eq(datasetItem.projectId, input.projectId))).get();
      if (!item) throw notFound('Dataset item');
      if (input.kind === 'relabel') {
        const open = tx.select().from(round).where(and(eq(round.projectId, input.projectId), eq(round.phase, 'labeling'))).orderBy(desc(round.index)).limit(1).get();
        if (!open || open.index === 0) throw precondition('Relabeling needs a round in its labeling phase: start the next round first');
        const settings = projectSettings(tx, input.projectId);
        tx.insert(query)
          .values({
            projectId: input.projectId,
            roundId: open.id,
            rolloutId: item.rolloutId,
            t: item.t ?? 0,
            state: item.state,
            obs: item.obs,
            policyAction: null,
            reason: `relabel: dataset item ${item.id}${input.reason ? ` (${input.reason})` : ''}`,
            labelsRequired: settings.aggregation.labelsPerState,
            createdAt: now,
          })
          .run();
      }
      if (input.kind !== 'relabel') {
        tx.update(datasetItem).set({ excluded: input.kind === 'exclude' }).where(eq(datasetItem.id, item.id)).run();
      }
      // Relabeling also excludes the old answer, so only the new consensus is trained on.
      if (input.kind === 'relabel') tx.update(datasetItem).set({ excluded: true }).where(eq(datasetItem.id, item.id)).run();
      return tx
        .insert(datasetEvent)
        .values({ datasetItemId: item.id, kind: input.kind, byUserId, reason: input.reason ?? null, createdAt: now })
        .returning()
        .get();
    },
    { behavior: 'immediate' },
  );
}
