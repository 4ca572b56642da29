/**
 * Test helpers for models/ (imported by *.test.ts only, never by runtime code).
 *
 *   checkGradients(build, inputs) → { maxRelErr, worst, analytic, numeric }
 *     Builds a float64 graph: loss = build(b, inputValues) (a scalar), differentiates it with autodiff,
 *     runs it in onnxruntime-node, and compares every gradient entry with a central finite difference of the
 *     same graph's forward pass (also run by ORT).
 *   randn(n, seed) / rand(n, seed, lo, hi)   seeded test data
 *   findPythonWith(modules)                 a python3 that imports the modules, or null (see python.ts)
 */
import { gradients } from './autodiff';
import { type Dim, GraphBuilder, type Value } from './graph';
import { createSession, ort } from './ort';
import { mulberry32, normal } from './prng';

export interface GradInput {
  name: string;
  /** Declared shape (may hold symbolic dims). */
  shape: Dim[];
  /** Concrete dims fed at run time. */
  dims: number[];
  data: Float64Array;
  /** Differentiate with respect to this input (default true). */
  diff?: boolean;
}

export function randn(n: number, seed: number, scale = 1): Float64Array {
  const rng = mulberry32(seed);
  return Float64Array.from({ length: n }, () => normal(rng) * scale);
}

export function rand(n: number, seed: number, lo: number, hi: number): Float64Array {
  const rng = mulberry32(seed);
  return Float64Array.from({ length: n }, () => lo + (hi - lo) * rng.next());
}

function build(fn: (b: GraphBuilder, x: Record<string, Value>) => Value, inputs: GradInput[], withGrads: boolean): Uint8Array {
  const b = new GraphBuilder({ dtype: 'float64' });
  const vals: Record<string, Value> = {};
  for (const i of inputs) vals[i.name] = b.input(i.name, i.shape);
  const loss = fn(b, vals);
  if (loss.shape.length !== 0) throw new Error(`checkGradients: loss must be a scalar, got shape [${loss.shape.join(', ')}]`);
  b.output(loss, 'loss');
  if (withGrads) {
    const diff = inputs.filter((i) => i.diff !== false);
    const gs = gradients(b, loss, diff.map((i) => vals[i.name]!));
    gs.forEach((g, k) => b.output(g, `grad_${diff[k]!.name}`));
  }
  return b.encode();
}

export interface GradCheckResult {
  maxRelErr: number;
  worst: string;
  analytic: Record<string, Float64Array>;
  numeric: Record<string, Float64Array>;
}

/** Relative error |a − n| / max(1e-3, |a|, |n|): absolute near zero, relative elsewhere. */
export async function checkGradients(fn: (b: GraphBuilder, x: Record<string, Value>) => Value, inputs: GradInput[], h = 1e-5): Promise<GradCheckResult> {
  const withGrads = await createSession(build(fn, inputs, true));
  const forward = await createSession(build(fn, inputs, false));
  const feeds = (override?: { name: string; data: Float64Array }) =>
    Object.fromEntries(inputs.map((i) => [i.name, new ort.Tensor('float64', override && override.name === i.name ? override.data : i.data, i.dims)]));
  const out = await withGrads.run(feeds());
  const analytic: Record<string, Float64Array> = {};
  const numeric: Record<string, Float64Array> = {};
  let maxRelErr = 0;
  let worst = '';
  for (const i of inputs.filter((q) => q.diff !== false)) {
    const a = out[`grad_${i.name}`]!.data as Float64Array;
    if (a.length !== i.data.length) throw new Error(`gradient of ${i.name} has ${a.length} entries, input has ${i.data.length}`);
    analytic[i.name] = a;
    const num = new Float64Array(i.data.length);
    for (let k = 0; k < i.data.length; k++) {
      const plus = Float64Array.from(i.data);
      plus[k]! += h;
      const minus = Float64Array.from(i.data);
      minus[k]! -= h;
      const fp = (await forward.run(feeds({ name: i.name, data: plus }))).loss!.data[0] as number;
      const fm = (await forward.run(feeds({ name: i.name, data: minus }))).loss!.data[0] as number;
      num[k] = (fp - fm) / (2 * h);
      const err = Math.abs(a[k]! - num[k]!) / Math.max(1e-3, Math.abs(a[k]!), Math.abs(num[k]!));
      if (!(err <= maxRelErr)) {
        maxRelErr = Number.isNaN(err) ? Infinity : err;
        worst = `${i.name}[${k}]: analytic ${a[k]} vs numeric ${num[k]}`;
      }
    }
    numeric[i.name] = num;
  }
  await withGrads.release();
  await forward.release();
  return { maxRelErr, worst, analytic, numeric };
}
