import { datasetRouter } from './routers/dataset';
import { inviteRouter } from './routers/invite';
import { policyRouter } from './routers/policy';
import { projectRouter } from './routers/project';
import { roundRouter } from './routers/round';
import { labelRouter, taskRouter } from './routers/task';
import { tokenRouter } from './routers/token';
import { userRouter } from './routers/user';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  user: userRouter,
  project: projectRouter,
  round: roundRouter,
  task: taskRouter,
  label: labelRouter,
  policy: policyRouter,
  dataset: datasetRouter,
  invite: inviteRouter,
  token: tokenRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
