/**
 * Every job type the worker knows, mapped to its handler. Handlers are idempotent: a job re-run after a
 * crash must not duplicate what a previous attempt already committed.
 */
import { behaviourCloningBaseline } from './baseline-job';
import { roundJobHandlers } from './round-jobs';
import type { JobHandlers } from './runner';

export function jobHandlers(): JobHandlers {
  return { ...roundJobHandlers, 'baseline.bc': behaviourCloningBaseline };
}
