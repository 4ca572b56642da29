import { z } from 'zod';
import { acceptAccountInvite, acceptAccountInviteInput, createInvite, createInviteInput, describeInvite, listInvites, revokeInvite } from '../../services/invites';
import { createTRPCRouter, projectResearcherProcedure, publicProcedure } from '../trpc';

export const inviteRouter = createTRPCRouter({
  create: projectResearcherProcedure.input(createInviteInput.omit({ projectId: true })).mutation(({ ctx, input }) => createInvite(ctx.runtime, ctx.user, input)),
  list: projectResearcherProcedure.query(({ ctx, input }) => listInvites(ctx.runtime, input.projectId)),
  revoke: projectResearcherProcedure.input(z.object({ inviteId: z.number().int().positive() })).mutation(({ ctx, input }) => revokeInvite(ctx.runtime, input.projectId, input.inviteId)),
  describe: publicProcedure.input(z.object({ token: z.string().min(10).max(100) })).query(({ ctx, input }) => describeInvite(ctx.runtime, input.token)),
  accept: publicProcedure.input(acceptAccountInviteInput).mutation(({ ctx, input }) => acceptAccountInvite(ctx.runtime, input)),
});
