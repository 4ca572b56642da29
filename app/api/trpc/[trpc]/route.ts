import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { oversizeBody, TRPC_MAX_BATCH } from '@/server/api/node-handler';
import { appRouter } from '@/server/api/root';
import { createContext } from '@/server/api/trpc';
import { runtime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

// `npm start` answers /api/trpc from Node directly (server/api/node-handler.ts); this route serves `next dev`.
const handler = async (req: Request) => {
  const tooLarge = oversizeBody(req.headers.get('content-length'));
  if (tooLarge) return Response.json({ error: { message: tooLarge } }, { status: 413 });
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    maxBatchSize: TRPC_MAX_BATCH,
    createContext: () => createContext(runtime(), req.headers),
  });
};

export { handler as GET, handler as POST };
