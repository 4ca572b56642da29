import { z } from 'zod';
import { deployPolicy } from '../../services/deploy-policy';
import { policyReplay } from '../../services/policy-replay';
import { createTRPCRouter, projectResearcherProcedure } from '../trpc';

export const policyRouter = createTRPCRouter({
  replay: projectResearcherProcedure
    .input(z.object({ policyVersionId: z.number().int().positive() }))
    .query(({ ctx, input }) => policyReplay(ctx.db, input.projectId, input.policyVersionId)),
  deploy: projectResearcherProcedure
    .input(z.object({ policyVersionId: z.number().int().positive(), reason: z.string().trim().max(200).optional() }))
    .mutation(({ ctx, input }) =>
      deployPolicy(ctx.db, { projectId: input.projectId, policyVersionId: input.policyVersionId, reason: input.reason ?? 'deployed by researcher' }, ctx.user.id),
    ),
});
