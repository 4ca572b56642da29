/**
 * `npm run bench:train`: training throughput of this project's ONNX training step next to PyTorch's, and
 * inference latency of an exported policy. Prints figures; asserts nothing.
 *
 * Training: an MLP obs 8 → 256 → 256 (ReLU) with a categorical head (4 logits, cross-entropy) and with a 2-D
 * diagonal Gaussian head (NLL); batch 256 drawn from a shuffled 16 384-row dataset; global-norm clipping 1.0;
 * AdamW lr 1e-3, weight decay 1e-4 on weight matrices. This project: models/train.ts's StepRunner (the loop
 * trainPolicy runs), ORT with 1 intra-op thread, and 2 with allow_spinning '0' / spinning. PyTorch:
 * bench/train_torch.py, same model and step, OpenBLAS with 1 and 2 threads; the best of each side is
 * compared. Inference: loadPolicy(...).act at batch 1 and 64, and actOne, median / p99 over 3000 calls.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportPolicy } from '../models/export';
import { loadPolicy } from '../models/infer';
import type { SessionConfig } from '../models/ort';
import { initParams, type NetShape } from '../models/policy-net';
import { mulberry32, normal, shuffleInPlace } from '../models/prng';
import { findPython } from '../models/python';
import { StepRunner } from '../models/train';

const BATCH = 256;
const N = 16384;
const STEPS = 300;
const HEADS = ['categorical', 'gaussian'] as const;
type Head = (typeof HEADS)[number];

function shapeOf(head: Head): NetShape {
  return { kind: head, obsDim: 8, actDim: head === 'categorical' ? 4 : 2, hidden: [256, 256], activation: 'relu', components: 1 };
}

function dataset(shape: NetShape) {
  const rng = mulberry32(0);
  const obs = new Float32Array(N * shape.obsDim).map(() => normal(rng));
  const targets = new Float32Array(N * shape.actDim);
  for (let i = 0; i < N; i++) {
    if (shape.kind === 'categorical') targets[i * shape.actDim + Math.floor(rng.next() * shape.actDim)] = 1;
    else for (let j = 0; j < shape.actDim; j++) targets[i * shape.actDim + j] = rng.next() * 2 - 1;
  }
  return { obs, targets };
}

async function benchOurs(head: Head, session: SessionConfig): Promise<number> {
  const shape = shapeOf(head);
  const { obs, targets } = dataset(shape);
  const runner = await StepRunner.create(shape, { weightDecay: 1e-4, clipNorm: 1, logStdLrScale: 1 }, BATCH, session);
  runner.reset(initParams(shape, 0));
  const rng = mulberry32(1);
  const order = Uint32Array.from({ length: N }, (_, i) => i);
  let pos = N;
  const steps = async (k: number) => {
    for (let s = 0; s < k; s++) {
      if (pos + BATCH > N) {
        shuffleInPlace(order, rng);
        pos = 0;
      }
      await runner.step(obs, targets, order, pos, BATCH, 1e-3);
      pos += BATCH;
    }
  };
  await steps(50);
  let best = 0;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    await steps(STEPS);
    best = Math.max(best, (STEPS * BATCH) / ((performance.now() - t0) / 1000));
  }
  return best;
}

interface TorchRow {
  head: Head;
  threads: number;
  samples_per_s: number;
}

function benchTorch(): { rows: TorchRow[]; version: string } | { skipped: string } {
  const python = findPython(['torch']);
  if (!python) return { skipped: 'PyTorch is not importable by any python3 here (apt-get install python3-torch libopenblas0-pthread)' };
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'train_torch.py');
  const version = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout.trim();
  const rows: TorchRow[] = [];
  for (const threads of [1, 2]) {
    const r = spawnSync(python, [script, '--threads', String(threads), '--steps', String(STEPS)], {
      encoding: 'utf8',
      env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) },
      timeout: 600_000,
    });
    if (r.status !== 0) return { skipped: `bench/train_torch.py failed: ${r.stderr.trim().split('\n').pop()}` };
    for (const line of r.stdout.trim().split('\n')) rows.push(JSON.parse(line) as TorchRow);
  }
  return { rows, version };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function benchInference() {
  const shape = shapeOf('categorical');
  const bytes = exportPolicy({
    shape,
    members: [initParams(shape, 0)],
    obsNorm: { mean: new Array<number>(8).fill(0), std: new Array<number>(8).fill(1) },
    actionSpace: { kind: 'discrete', n: 4, names: ['0', '1', '2', '3'], keys: ['0', '1', '2', '3'] },
    actionScaling: null,
  });
  const policy = await loadPolicy(bytes);
  const rng = mulberry32(2);
  const rows: { what: string; median: number; p99: number }[] = [];
  const measure = async (what: string, fn: () => Promise<unknown>) => {
    for (let i = 0; i < 300; i++) await fn();
    const t: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const t0 = performance.now();
      await fn();
      t.push((performance.now() - t0) * 1000);
    }
    t.sort((a, b) => a - b);
    rows.push({ what, median: percentile(t, 50), p99: percentile(t, 99) });
  };
  const obs1 = new Float32Array(8).map(() => normal(rng));
  const obs64 = new Float32Array(64 * 8).map(() => normal(rng));
  await measure('act, batch 1', () => policy.act(obs1, 1));
  await measure('actOne (preallocated tensors)', () => policy.actOne(obs1));
  await measure('act, batch 64', () => policy.act(obs64, 64));
  await measure('act, batch 64, sample mode', () => policy.act(obs64, 64, { mode: 'sample', rng }));
  await policy.release();
  return rows;
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

async function main() {
  console.log(`bench:train — ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, Node ${process.version}, onnxruntime-node ${(await import('onnxruntime-node')).env.versions.node}`);
  console.log(`training step: obs 8 → 256 → 256 (ReLU), batch ${BATCH}, AdamW + clip 1.0; samples/s = best of 3 × ${STEPS} steps\n`);

  const configs: { label: string; session: SessionConfig }[] = [
    { label: '1 thread', session: { threads: 1 } },
    { label: '2 threads, no spin', session: { threads: 2, spinning: false } },
    { label: '2 threads, spinning', session: { threads: 2, spinning: true } },
  ];
  const ours: Record<Head, { label: string; v: number }[]> = { categorical: [], gaussian: [] };
  for (const head of HEADS) for (const c of configs) ours[head].push({ label: c.label, v: await benchOurs(head, c.session) });
  const torch = benchTorch();

  const header = `${'head'.padEnd(13)}${'this project (ORT)'.padEnd(48)}${'PyTorch (OpenBLAS)'.padEnd(40)}ratio`;
  console.log(header);
  console.log('-'.repeat(header.length + 8));
  for (const head of HEADS) {
    const best = ours[head].reduce((a, b) => (b.v > a.v ? b : a));
    const oursCell = ours[head].map((o) => `${o.label}: ${fmt(o.v)}`);
    let torchCell: string[] = ['skipped'];
    let ratio = 'n/a';
    if ('rows' in torch) {
      const mine = torch.rows.filter((r) => r.head === head);
      torchCell = mine.map((r) => `${r.threads} thread${r.threads > 1 ? 's' : ''}: ${fmt(r.samples_per_s)}`);
      const tb = Math.max(...mine.map((r) => r.samples_per_s));
      const t1 = mine.find((r) => r.threads === 1)?.samples_per_s ?? NaN;
      ratio = `${(best.v / tb).toFixed(2)}× best vs best; ${(ours[head][0]!.v / t1).toFixed(2)}× 1 thread vs 1 thread`;
    }
    const lines = Math.max(oursCell.length, torchCell.length);
    for (let i = 0; i < lines; i++) console.log(`${(i === 0 ? head : '').padEnd(13)}${(oursCell[i] ?? '').padEnd(48)}${(torchCell[i] ?? '').padEnd(40)}${i === 0 ? ratio : ''}`);
  }
  if ('skipped' in torch) console.log(`\nPyTorch: ${torch.skipped}`);
  else console.log(`\nPyTorch ${torch.version}, OPENBLAS_NUM_THREADS = torch.set_num_threads = 1 and 2`);

  console.log('\ninference latency, exported categorical policy (8 → 256 → 256 → 4), 1 intra-op thread, 3000 calls:');
  for (const r of await benchInference()) console.log(`  ${r.what.padEnd(34)} median ${r.median.toFixed(1).padStart(7)} µs   p99 ${r.p99.toFixed(1).padStart(7)} µs`);
}

await main();
