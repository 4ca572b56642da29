import { listEnvs } from '@/envs/registry';
import { addProjectMember, addProjectMemberInput } from '../../services/add-project-member';
import { createProject, createProjectInput } from '../../services/create-project';
import { getProject } from '../../services/get-project';
import { labelerStats } from '../../services/labeler-stats';
import { listProjects } from '../../services/list-projects';
import { authedProcedure, createTRPCRouter, projectMemberProcedure, projectResearcherProcedure, researcherProcedure } from '../trpc';

export const projectRouter = createTRPCRouter({
  envs: authedProcedure.query(() => listEnvs()),
  list: authedProcedure.query(({ ctx }) => listProjects(ctx.db, ctx.user)),
  create: researcherProcedure.input(createProjectInput).mutation(({ ctx, input }) => createProject(ctx.runtime, ctx.user, input)),
  get: projectResearcherProcedure.query(({ ctx, input }) => getProject(ctx.db, input.projectId)),
  /** What a labeler may know of a project: its name and environment, nothing of the dataset. */
  summary: projectMemberProcedure.query(({ ctx, input }) => {
    const p = getProject(ctx.db, input.projectId);
    return { id: p.id, name: p.name, envId: p.envId, role: ctx.projectRole };
  }),
  addMember: projectResearcherProcedure
    .input(addProjectMemberInput.omit({ projectId: true }))
    .mutation(({ ctx, input }) => addProjectMember(ctx.runtime, input)),
  labelers: projectResearcherProcedure.query(({ ctx, input }) => labelerStats(ctx.db, input.projectId)),
});

