/**
 * tRPC served straight from Node's HTTP server (used by `npm start`'s custom server for /api/trpc/*), so
 * the labeling hot path — claim a task, submit a label — skips Next's route-handler machinery. Same router,
 * context and body limit as the App Router route in app/api/trpc/[trpc]/route.ts, which `next dev` uses.
 *
 * Plain JSON calls (what the browser's httpBatchLink and our clients send: GET queries, POST mutations,
 * batched or not) are answered here with tRPC's own procedure caller, error shapes, transformer and status
 * codes, but without building a Fetch Request/Response, web streams and abort signals per request — that
 * machinery cost more CPU than claiming a task and storing a label together. Anything else (other
 * methods and content types, streaming accept headers) goes to tRPC's standalone adapter unchanged.
 * server/api/node-handler.test.ts checks the two answer alike.
 */
import type http from 'node:http';
import { getTRPCErrorFromUnknown, getTRPCErrorShape, transformTRPCResponse, TRPCError, type AnyTRPCProcedure } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { getHTTPStatusCode } from '@trpc/server/http';
import type { Runtime } from '../runtime';
import { appRouter } from './root';
import type { RequestHeaders } from '../auth';
import { createContext, type InnerContext } from './trpc';

/** tRPC bodies are small JSON; anything larger is refused (413) before it is parsed. */
export const TRPC_MAX_BODY_BYTES = 1_000_000;
export const TRPC_BASE_PATH = '/api/trpc/';
/** Calls in one batched request (the browser sends a handful; this bounds one request's work). */
export const TRPC_MAX_BATCH = 64;

/** The 413 message for a declared body over the limit, or null when it may be read. */
export function oversizeBody(contentLength: string | null | undefined): string | null {
  const length = Number(contentLength ?? 0);
  return length > TRPC_MAX_BODY_BYTES ? `Request body too large (${length} bytes; limit ${TRPC_MAX_BODY_BYTES})` : null;
}

/** Request headers read in place (no copy into a Fetch Headers object). */
export function nodeHeaders(raw: http.IncomingHttpHeaders): RequestHeaders {
  return {
    get(name) {
      const v = raw[name.toLowerCase()];
      return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
    },
  };
}

const config = appRouter._def._config;
// Flat at run time ("task.next" → procedure), whatever the nested type says.
const procedures = appRouter._def.procedures as unknown as Record<string, AnyTRPCProcedure>;
const METHOD_OF = { query: 'GET', mutation: 'POST', subscription: 'GET' } as const;
type Reply = { result: { data: unknown } } | { error: ReturnType<typeof getTRPCErrorShape> };

/** Plain JSON calls, which this handler answers itself; the rest goes to tRPC's own adapter. */
function isPlainJsonCall(req: http.IncomingMessage): boolean {
  if (req.headers['trpc-accept'] !== undefined || req.headers.accept === 'application/jsonl') return false;
  if (req.method === 'GET') return true;
  if (req.method !== 'POST') return false;
  const type = req.headers['content-type'];
  return type === undefined || type.startsWith('application/json');
}

function readBody(req: http.IncomingMessage): Promise<string | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > TRPC_MAX_BODY_BYTES) {
        resolve('too-large');
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  writeJson(res, status, JSON.stringify(body), extra);
}

function writeJson(res: http.ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), vary: 'trpc-accept, accept', ...extra });
  res.end(text);
}

/**
 * A reply's JSON text. A frozen result cannot change, so its serialised form is kept and reused: a
 * rollout's replay, for one, goes to every labeler of the rollout and is serialised once.
 */
const frozenJson = new WeakMap<object, string>();
function replyText(reply: Reply): string {
  if (!('result' in reply)) return JSON.stringify(transformTRPCResponse(config, reply as never));
  // A result is `{"result":{"data":…}}` with the data through the transformer, as tRPC writes it (its
  // own helper copies the reply object twice on the way, which cost more than the rest of it).
  const data = reply.result.data;
  if (data !== null && typeof data === 'object' && Object.isFrozen(data)) {
    let text = frozenJson.get(data);
    if (text === undefined) {
      text = dataJson(data);
      frozenJson.set(data, text);
    }
    return `{"result":{"data":${text}}}`;
  }
  return `{"result":{"data":${dataJson(data)}}}`;
}

/** The transformer's form of a result's data, as JSON text (`undefined` data has no text: written as {}). */
function dataJson(data: unknown): string {
  return JSON.stringify(config.transformer.output.serialize(data)) ?? '{}';
}

function errorReply(error: TRPCError, path: string | undefined, input: unknown, ctx: InnerContext | undefined, type: 'query' | 'mutation' | 'subscription' | 'unknown'): Reply {
  return { error: getTRPCErrorShape({ config, error, path, input, ctx, type }) };
}

/** A whole-request error (bad batch, unreadable body, context failure): one error object, as tRPC answers. */
function sendRequestError(res: http.ServerResponse, cause: unknown, ctx?: InnerContext): void {
  const reply = errorReply(getTRPCErrorFromUnknown(cause), undefined, undefined, ctx, 'unknown');
  send(res, getHTTPStatusCode(reply as never), transformTRPCResponse(config, reply as never));
}

async function answer(req: http.IncomingMessage, res: http.ServerResponse, rt: Runtime): Promise<void> {
  const url = req.url!;
  const q = url.indexOf('?');
  const search = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const isBatch = search.get('batch') === '1';
  let path: string;
  try {
    path = decodeURIComponent((q < 0 ? url : url.slice(0, q)).slice(TRPC_BASE_PATH.length));
  } catch {
    return sendRequestError(res, new TRPCError({ code: 'BAD_REQUEST', message: 'Malformed procedure path' }));
  }
  const paths = isBatch ? path.split(',') : [path];
  if (paths.length > TRPC_MAX_BATCH) return sendRequestError(res, new TRPCError({ code: 'BAD_REQUEST', message: 'Batch call exceeds maximum size' }));
  const procs = paths.map((p) => (Object.hasOwn(procedures, p) ? procedures[p] : undefined));
  const types = new Set(procs.flatMap((p) => (p ? [p._def.type] : [])));
  if (types.size > 1) return sendRequestError(res, new TRPCError({ code: 'BAD_REQUEST', message: `Cannot mix procedure types in call: ${[...types].join(', ')}` }));

  // Inputs: the query string for GET, the body for POST; keyed by call index when batched.
  let raw: unknown;
  let inputError: TRPCError | null = null;
  try {
    const text = req.method === 'GET' ? search.get('input') : await readBody(req);
    if (text === 'too-large') return send(res, 413, { error: { message: `Request body too large (limit ${TRPC_MAX_BODY_BYTES} bytes)` } }, { connection: 'close' });
    raw = text ? JSON.parse(text) : undefined;
  } catch (cause) {
    inputError = new TRPCError({ code: 'PARSE_ERROR', message: 'The request body is not valid JSON', cause });
  }
  if (!inputError && isBatch && raw !== undefined && (raw === null || typeof raw !== 'object' || Array.isArray(raw))) {
    inputError = new TRPCError({ code: 'BAD_REQUEST', message: '"input" needs to be an object when doing a batch call' });
  }
  let inputs: unknown[] = [];
  try {
    inputs = paths.map((_, i) => {
      const one = isBatch ? (raw as Record<string, unknown> | undefined)?.[i] : raw;
      return one === undefined || inputError ? undefined : config.transformer.input.deserialize(one);
    });
  } catch (cause) {
    // A superjson envelope that does not decode (e.g. an unknown type annotation) is the client's mistake.
    inputError = new TRPCError({ code: 'BAD_REQUEST', message: 'Malformed input', cause });
  }

  let ctx: InnerContext;
  try {
    ctx = await createContext(rt, nodeHeaders(req.headers));
  } catch (cause) {
    return sendRequestError(res, cause);
  }
  const replies = await Promise.all(
    paths.map(async (p, i): Promise<Reply> => {
      const proc = procs[i];
      try {
        if (inputError) throw inputError;
        if (!proc) throw new TRPCError({ code: 'NOT_FOUND', message: `No procedure found on path "${p}"` });
        if (METHOD_OF[proc._def.type] !== req.method) {
          throw new TRPCError({ code: 'METHOD_NOT_SUPPORTED', message: `Unsupported ${req.method}-request to ${proc._def.type} procedure at path "${p}"` });
        }
        if (proc._def.type === 'subscription') throw new TRPCError({ code: 'METHOD_NOT_SUPPORTED', message: 'Subscriptions are not served' });
        // The procedure itself, found and checked above (tRPC's callProcedure would look it up again in two
        // more async steps, and pass the router along: one more key for every middleware level to copy).
        const data = await proc({ path: p, getRawInput: async () => inputs[i], ctx, type: proc._def.type, signal: undefined, batchIndex: i });
        return { result: { data } };
      } catch (cause) {
        return errorReply(getTRPCErrorFromUnknown(cause), p, inputs[i], ctx, proc?._def.type ?? 'unknown');
      }
    }),
  );
  const status = getHTTPStatusCode((isBatch ? replies : replies[0]!) as never);
  writeJson(res, status, isBatch ? `[${replies.map(replyText).join(',')}]` : replyText(replies[0]!));
}

export function createTrpcNodeHandler(rt: Runtime): http.RequestListener {
  const official = createHTTPHandler({
    router: appRouter,
    basePath: TRPC_BASE_PATH,
    maxBodySize: TRPC_MAX_BODY_BYTES,
    maxBatchSize: TRPC_MAX_BATCH,
    createContext: ({ req }) => createContext(rt, nodeHeaders(req.headers)),
  });
  return (req, res) => {
    const tooLarge = oversizeBody(req.headers['content-length']);
    if (tooLarge) {
      send(res, 413, { error: { message: tooLarge } }, { connection: 'close' });
      req.resume();
      return;
    }
    if (!isPlainJsonCall(req)) return official(req, res);
    answer(req, res, rt).catch((e: unknown) => {
      console.error('[trpc] request failed:', e);
      if (!res.headersSent) sendRequestError(res, e);
      else res.destroy();
    });
  };
}
