/**
 * `round.close`: the researcher ends labeling early (or closes round 0 after its demonstrations). States
 * with labels get their best-effort consensus; states without any are left out; training starts.
 */
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { datasetItem, round } from '@/db/schema';
import { canTrain } from '../dagger/round';
import { badInput, notFound, precondition } from '../errors';
import type { Runtime } from '../runtime';
import { beginTraining } from './begin-training';
import { resolveWhatIsLabeled } from './resolve-query';

export const closeRoundInput = z.object({ projectId: z.number().int().positive(), roundId: z.number().int().positive() });

export function closeRound(rt: Runtime, raw: z.input<typeof closeRoundInput>, now = Date.now()): { resolved: number } {
  const input = closeRoundInput.parse(raw);
  return rt.db.transaction(
    (tx) => {
      const r = tx.select().from(round).where(and(eq(round.id, input.roundId), eq(round.projectId, input.projectId))).get();
      if (!r) throw notFound('Round');
      if (r.phase !== 'labeling') throw precondition(`Round ${r.index} is ${r.phase}, not labeling`);
      const resolved = resolveWhatIsLabeled(tx, r.id, now);
      const items = tx
        .select({ n: sql<number>`count(*)` })
        .from(datasetItem)
        .where(and(eq(datasetItem.roundId, r.id), eq(datasetItem.excluded, false)))
        .get()?.n ?? 0;
      const check = canTrain(r.index, items);
      if (!check.ok) throw badInput(check.reason);
      beginTraining(tx, r, now, { closedEarly: r.index > 0 });
      return { resolved };
    },
    { behavior: 'immediate' },
  );
}
