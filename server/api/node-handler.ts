/**
 * tRPC served straight from Node's HTTP server (used by `npm start`'s custom server for /api/trpc/*), so
 * the labeling hot path — claim a task, submit a label — skips Next's route-handler machinery. Same router,
 * context and body limit as the App Router route in app/api/trpc/[trpc]/route.ts, which `next dev` uses.
 */
import type http from 'node:http';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import type { Runtime } from '../runtime';
import { appRouter } from './root';
import { createContext } from './trpc';

/** tRPC bodies are small JSON; anything larger is refused (413) before it is parsed. */
export const TRPC_MAX_BODY_BYTES = 1_000_000;
export const TRPC_BASE_PATH = '/api/trpc/';

/** The 413 message for a declared body over the limit, or null when it may be read. */
export function oversizeBody(contentLength: string | null | undefined): string | null {
  const length = Number(contentLength ?? 0);
  return length > TRPC_MAX_BODY_BYTES ? `Request body too large (${length} bytes; limit ${TRPC_MAX_BODY_BYTES})` : null;
}

export function toHeaders(raw: http.IncomingHttpHeaders): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) h.append(k, x);
    else h.set(k, v);
  }
  return h;
}

export function createTrpcNodeHandler(rt: Runtime): http.RequestListener {
  const handler = createHTTPHandler({
    router: appRouter,
    basePath: TRPC_BASE_PATH,
    maxBodySize: TRPC_MAX_BODY_BYTES,
    createContext: ({ req }) => createContext(rt, toHeaders(req.headers)),
  });
  return (req, res) => {
    const tooLarge = oversizeBody(req.headers['content-length']);
    if (tooLarge) {
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error: { message: tooLarge } }));
      req.resume();
      return;
    }
    handler(req, res);
  };
}
