import { z } from 'zod';
import { ROLES } from '@/db/schema';
import { createAccount } from '../../services/create-account';
import { listUsers } from '../../services/list-users';
import { adminProcedure, authedProcedure, createTRPCRouter, publicProcedure } from '../trpc';

export const userRouter = createTRPCRouter({
  me: publicProcedure.query(({ ctx }) => ctx.user),
  list: adminProcedure.query(({ ctx }) => listUsers(ctx.db)),
  create: adminProcedure
    .input(
      z.object({
        email: z.email('Enter an email address'),
        name: z.string().trim().min(1, 'Enter a name').max(100),
        password: z.string().min(8, 'At least 8 characters').max(128),
        role: z.enum(ROLES),
      }),
    )
    .mutation(({ ctx, input }) => createAccount(ctx.runtime, input)),
  whoami: authedProcedure.query(({ ctx }) => ctx.user),
});
