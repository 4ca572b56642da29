import { z } from 'zod';
import { groupCommit } from '@/db/group-commit';
import { claimTask, claimTaskInput, labelerProgress } from '../../services/claim-task';
import { skipTask, skipTaskInput, submitLabel, submitLabelInput } from '../../services/submit-label';
import { claimSegment, claimSegmentInput } from '../../services/claim-segment';
import { getTaskRollout, getTaskRolloutInput } from '../../services/get-task-rollout';
import { crowdStatus } from '../../services/invites';
import { undoLabel, undoLabelInput } from '../../services/undo-label';
import { authedProcedure, createTRPCRouter, rateLimited } from '../trpc';

export const taskRouter = createTRPCRouter({
  // Claims and labels commit in groups (db/group-commit.ts): answered only once their write is durable.
  next: authedProcedure.use(rateLimited('task.next', 60, 1000)).input(claimTaskInput).mutation(({ ctx, input }) => groupCommit(ctx.db, () => claimTask(ctx.runtime, ctx.user, input))),
  /** Segment labeling: lease the open states of the same rollout just before a held task. */
  segment: authedProcedure.use(rateLimited('task.segment', 10, 1000)).input(claimSegmentInput).mutation(({ ctx, input }) => claimSegment(ctx.runtime, ctx.user, input)),
  /** The rollout a held task's state comes from (the client caches it per rollout). */
  rollout: authedProcedure.input(getTaskRolloutInput).query(({ ctx, input }) => getTaskRollout(ctx.runtime, ctx.user, input)),
  skip: authedProcedure.input(skipTaskInput).mutation(({ ctx, input }) => skipTask(ctx.runtime, ctx.user, input)),
  progress: authedProcedure
    .input(z.object({ since: z.number().int().min(0) }))
    .query(({ ctx, input }) => labelerProgress(ctx.runtime, ctx.user, input.since)),
  /** For crowd participants: tasks done of their cap, and the completion code once finished (else null). */
  crowd: authedProcedure.query(({ ctx }) => crowdStatus(ctx.db, ctx.user.id)),
});

export const labelRouter = createTRPCRouter({
  submit: authedProcedure
    .use(rateLimited('label.submit', 40, 1000))
    .input(submitLabelInput)
    .mutation(({ ctx, input }) => groupCommit(ctx.db, () => submitLabel(ctx.runtime, ctx.user, input))),
  undo: authedProcedure.input(undoLabelInput).mutation(({ ctx, input }) => undoLabel(ctx.runtime, ctx.user, input)),
});
