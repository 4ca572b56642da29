/** Adds (or changes the role of) a member of a project, by email. */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { PROJECT_ROLES, projectMember, user } from '@/db/schema';
import { badInput } from '../errors';
import type { Runtime } from '../runtime';

export const addProjectMemberInput = z.object({
  projectId: z.number().int().positive(),
  email: z.email('Enter an email address'),
  role: z.enum(PROJECT_ROLES),
});

export function addProjectMember(rt: Runtime, raw: z.input<typeof addProjectMemberInput>): { userId: string } {
  const input = addProjectMemberInput.parse(raw);
  const u = rt.db.select().from(user).where(eq(user.email, input.email.toLowerCase())).get();
  if (!u) throw badInput(`No account with ${input.email}`, { email: ['No account with this email; create it first or send an invitation'] });
  if (input.role === 'researcher' && u.role === 'labeler') {
    throw badInput('A labeler account cannot be a researcher of a project', { role: ['This account is a labeler account'] });
  }
  rt.db
    .insert(projectMember)
    .values({ projectId: input.projectId, userId: u.id, role: input.role, createdAt: Date.now() })
    .onConflictDoUpdate({ target: [projectMember.projectId, projectMember.userId], set: { role: input.role } })
    .run();
  return { userId: u.id };
}
