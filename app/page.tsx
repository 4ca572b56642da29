import { redirect } from 'next/navigation';
import { requireUser } from './_lib-session';

export const dynamic = 'force-dynamic';

export default async function Home() {
  const user = await requireUser('/');
  redirect(user.role === 'labeler' ? '/label' : '/projects');
}
