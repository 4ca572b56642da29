/**
 * onnxruntime-node sessions as this project creates them.
 *
 * Public API
 *   createSession(bytes, { threads, spinning }) → Promise<ort.InferenceSession>
 *   sessionOptions({ threads, spinning })        the options object (1 intra-op thread by default)
 *   tensor(dtype, data, dims)                    ort.Tensor shorthand
 *   ort                                          the onnxruntime-node module
 *
 * Threads: on the 2-core machines this project targets, one intra-op thread is the default (bit-reproducible
 * and no spinning threads competing with the event loop); `threads: 2` helps large training graphs, and
 * then `spinning: false` sets allow_spinning '0' so idle pool threads sleep instead of burning a core.
 */
import ort from 'onnxruntime-node';

export { ort };

export interface SessionConfig {
  /** Intra-op threads (default 1). */
  threads?: number;
  /** Let idle intra-op threads spin (only matters with threads > 1; default false). */
  spinning?: boolean;
}

export function sessionOptions(cfg: SessionConfig = {}): ort.InferenceSession.SessionOptions {
  const threads = cfg.threads ?? 1;
  const opts: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  };
  if (threads > 1 && !cfg.spinning) opts.extra = { session: { intra_op: { allow_spinning: '0' } } };
  return opts;
}

export async function createSession(bytes: Uint8Array, cfg: SessionConfig = {}): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, sessionOptions(cfg));
}

export function tensor(dtype: 'float32', data: Float32Array, dims: readonly number[]): ort.Tensor;
export function tensor(dtype: 'float64', data: Float64Array, dims: readonly number[]): ort.Tensor;
export function tensor(dtype: 'int64', data: BigInt64Array, dims: readonly number[]): ort.Tensor;
export function tensor(dtype: 'float32' | 'float64' | 'int64', data: Float32Array | Float64Array | BigInt64Array, dims: readonly number[]): ort.Tensor {
  return new ort.Tensor(dtype, data, dims);
}
