import { z } from 'zod';
import { DEFAULT_LABEL_RATE_LIMIT } from '../../config';
import { claimTaskInput, labelerProgress } from '../../services/claim-task';
import { skipTaskInput, submitLabelInput } from '../../services/submit-label';
import { claimSegmentInput } from '../../services/claim-segment';
import { getTaskRollout, getTaskRolloutInput } from '../../services/get-task-rollout';
import { crowdStatus } from '../../services/invites';
import { undoLabelInput } from '../../services/undo-label';
import { runWrite } from '../../writer';
import { authedProcedure, createTRPCRouter, rateLimitedProcedure } from '../trpc';

export const taskRouter = createTRPCRouter({
  // Labelers' writes run on the writer thread where there is one, in group commits (server/writer.ts);
  // each is answered only once its write is durable.
  next: rateLimitedProcedure('task.next', 60, 1000).input(claimTaskInput).mutation(({ ctx, input }) => runWrite(ctx.runtime, 'claimTask', ctx.user, input)),
  /** Segment labeling: lease the open states of the same rollout just before a held task. */
  segment: rateLimitedProcedure('task.segment', 10, 1000).input(claimSegmentInput).mutation(({ ctx, input }) => runWrite(ctx.runtime, 'claimSegment', ctx.user, input)),
  /** The rollout a held task's state comes from (the client caches it per rollout). */
  rollout: authedProcedure.input(getTaskRolloutInput).query(({ ctx, input }) => getTaskRollout(ctx.runtime, ctx.user, input)),
  skip: authedProcedure.input(skipTaskInput).mutation(({ ctx, input }) => runWrite(ctx.runtime, 'skipTask', ctx.user, input)),
  progress: authedProcedure
    .input(z.object({ since: z.number().int().min(0) }))
    .query(({ ctx, input }) => labelerProgress(ctx.runtime, ctx.user, input.since)),
  /** For crowd participants: tasks done of their cap, and the completion code once finished (else null). */
  crowd: authedProcedure.query(({ ctx }) => crowdStatus(ctx.db, ctx.user.id)),
});

export const labelRouter = createTRPCRouter({
  submit: rateLimitedProcedure('label.submit', (config) => config.LABEL_RATE_LIMIT ?? DEFAULT_LABEL_RATE_LIMIT, 1000)
    .input(submitLabelInput)
    .mutation(({ ctx, input }) => runWrite(ctx.runtime, 'submitLabel', ctx.user, input)),
  undo: authedProcedure.input(undoLabelInput).mutation(({ ctx, input }) => runWrite(ctx.runtime, 'undoLabel', ctx.user, input)),
});
