import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from '@/server/api/root';
import { TRPC_MAX_BODY_BYTES } from '@/server/api/node-handler';
import { createContext } from '@/server/api/trpc';
import { runtime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

// `npm start` answers /api/trpc from Node directly (server/api/node-handler.ts); this route serves `next dev`.

const MAX_BODY_BYTES = TRPC_MAX_BODY_BYTES;

const handler = async (req: Request) => {
  const length = Number(req.headers.get('content-length') ?? 0);
  if (length > MAX_BODY_BYTES) {
    return Response.json({ error: { message: `Request body too large (${length} bytes; limit ${MAX_BODY_BYTES})` } }, { status: 413 });
  }
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: () => createContext(runtime(), req.headers),
  });
};

export { handler as GET, handler as POST };
