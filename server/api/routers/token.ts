import { z } from 'zod';
import { createApiToken, createApiTokenInput, listApiTokens, revokeApiToken } from '../../services/api-tokens';
import { createTRPCRouter, projectResearcherProcedure } from '../trpc';

export const tokenRouter = createTRPCRouter({
  create: projectResearcherProcedure.input(createApiTokenInput.omit({ projectId: true })).mutation(({ ctx, input }) => createApiToken(ctx.db, ctx.user.id, input)),
  list: projectResearcherProcedure.query(({ ctx, input }) => listApiTokens(ctx.db, input.projectId)),
  revoke: projectResearcherProcedure.input(z.object({ tokenId: z.number().int().positive() })).mutation(({ ctx, input }) => revokeApiToken(ctx.db, input.projectId, input.tokenId)),
});
