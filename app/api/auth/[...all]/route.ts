import { runtime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

const handler = (req: Request) => runtime().auth.handler(req);
export { handler as GET, handler as POST };
