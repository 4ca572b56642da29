import { z } from 'zod';
import { closeRound } from '../../services/close-round';
import { requestDemonstrations, requestDemonstrationsInput } from '../../services/request-demonstrations';
import { importDemonstrations, importDemonstrationsInput } from '../../services/import-demonstrations';
import { resumeRound } from '../../services/fail-round';
import { requestBaseline } from '../../services/request-baseline';
import { startRound } from '../../services/start-round';
import { createTRPCRouter, projectResearcherProcedure } from '../trpc';

const roundInput = z.object({ roundId: z.number().int().positive() });

export const roundRouter = createTRPCRouter({
  start: projectResearcherProcedure.mutation(({ ctx, input }) => startRound(ctx.runtime, input)),
  close: projectResearcherProcedure.input(roundInput).mutation(({ ctx, input }) => closeRound(ctx.runtime, input)),
  baseline: projectResearcherProcedure.mutation(({ ctx, input }) => requestBaseline(ctx.runtime, input)),
  resume: projectResearcherProcedure.input(roundInput).mutation(({ ctx, input }) => resumeRound(ctx.runtime, input)),
  demonstrate: projectResearcherProcedure
    .input(requestDemonstrationsInput.omit({ projectId: true }))
    .mutation(({ ctx, input }) => requestDemonstrations(ctx.runtime, input)),
  importDemonstrations: projectResearcherProcedure
    .input(importDemonstrationsInput.omit({ projectId: true }))
    .mutation(({ ctx, input }) => importDemonstrations(ctx.runtime, input)),
});
