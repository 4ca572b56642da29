/**
 * Domain errors thrown by services, and the one function that turns them into tRPC errors.
 * Unknown errors never leak their text to the client.
 */
import { TRPCError } from '@trpc/server';
import { ZodError } from 'zod';

export type DomainErrorCode = 'BAD_INPUT' | 'NOT_FOUND' | 'FORBIDDEN' | 'UNAUTHORIZED' | 'CONFLICT' | 'PRECONDITION' | 'TOO_MANY';

export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Field-level messages for forms, keyed by input path. */
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
  }
}

export const badInput = (msg: string, fieldErrors?: Record<string, string[]>) => new DomainError('BAD_INPUT', msg, fieldErrors);
export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} not found`);
export const forbidden = (msg = 'You do not have access to this') => new DomainError('FORBIDDEN', msg);
export const conflict = (msg: string) => new DomainError('CONFLICT', msg);
export const precondition = (msg: string) => new DomainError('PRECONDITION', msg);

const TRPC_CODE: Record<DomainErrorCode, TRPCError['code']> = {
  BAD_INPUT: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHORIZED: 'UNAUTHORIZED',
  CONFLICT: 'CONFLICT',
  PRECONDITION: 'PRECONDITION_FAILED',
  TOO_MANY: 'TOO_MANY_REQUESTS',
};

/** The single mapping from anything thrown inside a procedure to what the client may see. */
export function toTRPCError(err: unknown): TRPCError {
  if (err instanceof TRPCError) return err;
  if (err instanceof DomainError) return new TRPCError({ code: TRPC_CODE[err.code], message: err.message, cause: err });
  if (err instanceof ZodError) return new TRPCError({ code: 'BAD_REQUEST', message: 'Invalid input', cause: err });
  if (err instanceof Error && err.name === 'EnvInputError') return new TRPCError({ code: 'BAD_REQUEST', message: err.message });
  console.error('[internal error]', err);
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Internal error' });
}

/** Field errors for forms: from a zod error or a DomainError carrying them. */
export function fieldErrorsOf(cause: unknown): Record<string, string[]> | null {
  if (cause instanceof ZodError) {
    const out: Record<string, string[]> = {};
    for (const issue of cause.issues) {
      const key = issue.path.join('.') || '_';
      (out[key] ??= []).push(issue.message);
    }
    return out;
  }
  if (cause instanceof DomainError && cause.fieldErrors) return cause.fieldErrors;
  return null;
}

/** An error as plain data, to cross a thread boundary (see server/writer.ts) and come back as the same kind. */
export type PlainError =
  | { kind: 'domain'; code: DomainErrorCode; message: string; fieldErrors?: Record<string, string[]> }
  | { kind: 'zod'; issues: ZodError['issues'] }
  | { kind: 'other'; name: string; message: string; stack?: string };

export function toPlainError(err: unknown): PlainError {
  if (err instanceof DomainError) return { kind: 'domain', code: err.code, message: err.message, fieldErrors: err.fieldErrors };
  if (err instanceof ZodError) return { kind: 'zod', issues: JSON.parse(JSON.stringify(err.issues)) as ZodError['issues'] };
  if (err instanceof Error) return { kind: 'other', name: err.name, message: err.message, stack: err.stack };
  return { kind: 'other', name: 'Error', message: String(err) };
}

export function fromPlainError(e: PlainError): Error {
  if (e.kind === 'domain') return new DomainError(e.code, e.message, e.fieldErrors);
  if (e.kind === 'zod') return new ZodError(e.issues);
  const err = new Error(e.message);
  err.name = e.name;
  if (e.stack) err.stack = e.stack;
  return err;
}
