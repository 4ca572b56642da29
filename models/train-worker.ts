/**
 * worker_thread entry of trainPolicyInWorker (train.ts): trains on workerData and posts progress events,
 * then the result (the ONNX bytes' buffer is transferred, not copied) or one error message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { trainPolicy, type WorkerInput, type WorkerMessage } from './train';

const port = parentPort;
if (!port) throw new Error('train-worker.ts must run as a worker_thread');

const post = (msg: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

try {
  const input = workerData as WorkerInput;
  const result = await trainPolicy({ ...input, onProgress: (event) => post({ type: 'progress', event }) });
  post({ type: 'done', result }, [result.onnx.buffer as ArrayBuffer]);
} catch (e) {
  const err = e as Error;
  post({ type: 'error', name: err.name ?? 'Error', message: err.message ?? String(e) });
}
