import { z } from 'zod';
import { getDatasetItem, listDatasetInput, listDataset } from '../../services/list-dataset';
import { reviewDatasetItem, reviewItemInput } from '../../services/review-dataset-item';
import { createTRPCRouter, projectResearcherProcedure } from '../trpc';

export const datasetRouter = createTRPCRouter({
  list: projectResearcherProcedure.input(listDatasetInput.omit({ projectId: true })).query(({ ctx, input }) => listDataset(ctx.db, input)),
  item: projectResearcherProcedure.input(z.object({ itemId: z.number().int().positive() })).query(({ ctx, input }) => getDatasetItem(ctx.db, input.projectId, input.itemId)),
  review: projectResearcherProcedure
    .input(reviewItemInput.omit({ projectId: true }))
    .mutation(({ ctx, input }) => reviewDatasetItem(ctx.runtime, ctx.user.id, input)),
});
