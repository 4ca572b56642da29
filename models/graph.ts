/**
 * A small ONNX graph builder with static shape inference (symbolic dims such as the batch dim are strings).
 *
 * Public API
 *   new GraphBuilder({ dtype: 'float32' | 'float64' })    the float type of constants made by the helpers
 *   b.input(name, shape, dtype?) / b.initializer(name, shape, data) / b.const(data, shape?)
 *   b.<op>(...)                                            one method per ONNX op used here (opset 17)
 *   b.output(value, name)                                   declares a graph output (renamed by Identity if needed)
 *   b.named(name, () => b.<op>(…))                          creates a value under a chosen name (outputs without Identity)
 *   b.toModel({ metadata, docString }) → OnnxModel          IR version 8, opset 17 (default domain)
 *   b.encode(opts) → Uint8Array                             the ModelProto bytes
 *
 * Shapes are checked when a node is built, so a mistake fails here with both shapes in the message rather
 * than as an ORT error at session creation. Reverse-mode differentiation lives in autodiff.ts and walks
 * `b.nodes`, which are always in topological order (a node can only use values that already exist).
 */
import { DataType, encodeModel, type OnnxAttribute, type OnnxModel, type OnnxNode, type OnnxValueInfo, tensorFromArray, type TypedArray } from './onnx-proto';

export const IR_VERSION = 8;
export const OPSET = 17;

export type FloatType = 'float32' | 'float64';
export type DType = FloatType | 'int64' | 'int32' | 'bool';
export type Dim = number | string;

export const ONNX_DTYPE: Record<DType, number> = {
  float32: DataType.FLOAT,
  float64: DataType.DOUBLE,
  int64: DataType.INT64,
  int32: DataType.INT32,
  bool: DataType.BOOL,
};

export interface Value {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly Dim[];
}

export type Attr = { i: number } | { f: number } | { ints: readonly number[] } | { floats: readonly number[] } | { s: string };

export interface GraphNode {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: Readonly<Record<string, Attr>>;
  /** Gradients do not flow through this node (stop-gradient). */
  readonly noGrad?: boolean;
}

interface Initializer {
  value: Value;
  data: TypedArray;
}

export class ShapeError extends Error {
  override name = 'ShapeError';
}

const fmt = (s: readonly Dim[]) => `[${s.join(', ')}]`;

export function isStatic(shape: readonly Dim[]): shape is readonly number[] {
  return shape.every((d) => typeof d === 'number');
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Numpy broadcasting of shapes; symbolic dims only broadcast with themselves or with 1. */
export function broadcastShapes(...shapes: (readonly Dim[])[]): Dim[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    let d: Dim = 1;
    for (const s of shapes) {
      const k = i - (rank - s.length);
      if (k < 0) continue;
      const e = s[k]!;
      if (e === 1 || e === d) continue;
      if (d === 1) d = e;
      else throw new ShapeError(`cannot broadcast shapes ${shapes.map(fmt).join(' and ')} (dim ${i}: ${d} vs ${e})`);
    }
    out.push(d);
  }
  return out;
}

function normAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new ShapeError(`axis ${axis} out of range for rank ${rank}`);
  return a;
}

export interface ModelOptions {
  metadata?: Record<string, string>;
  docString?: string;
  graphName?: string;
  producerName?: string;
}

export class GraphBuilder {
  readonly dtype: FloatType;
  readonly nodes: GraphNode[] = [];
  readonly inputs: Value[] = [];
  readonly outputs: Value[] = [];
  readonly initializers: Initializer[] = [];
  private readonly values = new Map<string, Value>();
  private readonly producers = new Map<string, GraphNode>();
  private readonly constCache = new Map<string, Value>();
  private counter = 0;
  private unknownDims = 0;
  private pendingName: string | undefined;

  constructor(opts: { dtype?: FloatType } = {}) {
    this.dtype = opts.dtype ?? 'float32';
  }

  // ---------------------------------------------------------------- values

  value(name: string): Value {
    const v = this.values.get(name);
    if (!v) throw new Error(`no value named ${name}`);
    return v;
  }

  producerOf(name: string): GraphNode | undefined {
    return this.producers.get(name);
  }

  /** The data of an initializer / constant, or undefined when `name` is computed or fed at run time. */
  constantData(name: string): number[] | undefined {
    const init = this.initializers.find((t) => t.value.name === name);
    if (!init) return undefined;
    return Array.from(init.data as ArrayLike<number | bigint>, (x) => Number(x));
  }

  private fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  private define(name: string, dtype: DType, shape: readonly Dim[]): Value {
    if (this.values.has(name)) throw new Error(`value ${name} is defined twice`);
    const v: Value = { name, dtype, shape: [...shape] };
    this.values.set(name, v);
    return v;
  }

  /** A fresh symbolic dim (for shapes only known at run time). */
  unknownDim(): string {
    return `unk_${this.unknownDims++}`;
  }

  input(name: string, shape: readonly Dim[], dtype: DType = this.dtype): Value {
    const v = this.define(name, dtype, shape);
    this.inputs.push(v);
    return v;
  }

  initializer(name: string, shape: readonly number[], data: TypedArray, dtype: DType = this.dtype): Value {
    if (data.length !== sizeOf(shape)) throw new ShapeError(`initializer ${name}: ${data.length} values for shape ${fmt(shape)}`);
    const v = this.define(name, dtype, shape);
    this.initializers.push({ value: v, data });
    return v;
  }

  /** A constant tensor (deduplicated), by default of the graph's float type. */
  const(data: number | readonly number[], shape?: readonly number[], dtype: DType = this.dtype): Value {
    const arr = typeof data === 'number' ? [data] : data;
    const shp = shape ?? (typeof data === 'number' ? [] : [arr.length]);
    const key = `${dtype}|${shp.join(',')}|${arr.join(',')}`;
    const hit = this.constCache.get(key);
    if (hit) return hit;
    const typed: TypedArray =
      dtype === 'float32'
        ? Float32Array.from(arr)
        : dtype === 'float64'
          ? Float64Array.from(arr)
          : dtype === 'int64'
            ? BigInt64Array.from(arr.map((x) => BigInt(x)))
            : dtype === 'int32'
              ? Int32Array.from(arr)
              : Uint8Array.from(arr);
    const v = this.initializer(this.fresh('const'), shp, typed, dtype);
    this.constCache.set(key, v);
    return v;
  }

  scalar(x: number, dtype: DType = this.dtype): Value {
    return this.const(x, [], dtype);
  }

  ints(xs: readonly number[]): Value {
    return this.const(xs, [xs.length], 'int64');
  }

  /** Appends a node; `outs` gives each output's type and shape. */
  node(op: string, inputs: readonly (Value | null)[], outs: { dtype: DType; shape: readonly Dim[]; name?: string }[], attrs: Record<string, Attr> = {}, noGrad = false): Value[] {
    for (const i of inputs) if (i && this.values.get(i.name) !== i) throw new Error(`${op}: input ${i.name} belongs to another graph`);
    const outputs = outs.map((o) => {
      let name = o.name;
      if (name === undefined && this.pendingName !== undefined) {
        name = this.pendingName;
        this.pendingName = undefined;
      }
      return this.define(name ?? this.fresh(op.toLowerCase()), o.dtype, o.shape);
    });
    const node: GraphNode = { op, inputs: inputs.map((i) => (i ? i.name : '')), outputs: outputs.map((o) => o.name), attrs, noGrad };
    this.nodes.push(node);
    for (const o of outputs) this.producers.set(o.name, node);
    return outputs;
  }

  private one(op: string, inputs: readonly (Value | null)[], dtype: DType, shape: readonly Dim[], attrs: Record<string, Attr> = {}, noGrad = false): Value {
    return this.node(op, inputs, [{ dtype, shape }], attrs, noGrad)[0]!;
  }

  /** Declares a graph output (through an Identity node when `name` differs from the value's name). */
  output(v: Value, name?: string): Value {
    let out = v;
    if (name && name !== v.name) out = this.node('Identity', [v], [{ dtype: v.dtype, shape: v.shape, name }])[0]!;
    this.outputs.push(out);
    return out;
  }

  /**
   * Gives the value made by `make` the name `name`, so it can become a graph output without an Identity
   * node (ORT copies through Identity into an output: a full pass over outputs as large as the weights).
   * `make` must create exactly the one node whose output is returned — compute its inputs beforehand.
   */
  named(name: string, make: () => Value): Value {
    if (this.values.has(name)) throw new Error(`named: ${name} already exists`);
    this.pendingName = name;
    try {
      const v = make();
      if (v.name !== name) throw new Error(`named(${name}): the returned value is not the first one created inside; compute the inputs before calling named()`);
      return v;
    } finally {
      this.pendingName = undefined;
    }
  }

  // ---------------------------------------------------------------- element-wise

  private sameType(op: string, a: Value, b: Value) {
    if (a.dtype !== b.dtype) throw new ShapeError(`${op}: dtypes differ (${a.dtype} vs ${b.dtype})`);
  }

  private binary(op: string, a: Value, b: Value): Value {
    this.sameType(op, a, b);
    return this.one(op, [a, b], a.dtype, broadcastShapes(a.shape, b.shape));
  }

  add(a: Value, b: Value) {
    return this.binary('Add', a, b);
  }
  sub(a: Value, b: Value) {
    return this.binary('Sub', a, b);
  }
  mul(a: Value, b: Value) {
    return this.binary('Mul', a, b);
  }
  div(a: Value, b: Value) {
    return this.binary('Div', a, b);
  }
  pow(a: Value, b: Value) {
    return this.binary('Pow', a, b);
  }

  /** Variadic Sum / Max / Min with broadcasting. */
  sum(xs: readonly Value[]): Value {
    if (xs.length === 1) return xs[0]!;
    return this.one('Sum', xs, xs[0]!.dtype, broadcastShapes(...xs.map((x) => x.shape)));
  }
  max(xs: readonly Value[]): Value {
    return this.one('Max', xs, xs[0]!.dtype, broadcastShapes(...xs.map((x) => x.shape)));
  }
  min(xs: readonly Value[]): Value {
    return this.one('Min', xs, xs[0]!.dtype, broadcastShapes(...xs.map((x) => x.shape)));
  }

  private unary(op: string, x: Value, attrs: Record<string, Attr> = {}): Value {
    return this.one(op, [x], x.dtype, x.shape, attrs);
  }

  neg(x: Value) {
    return this.unary('Neg', x);
  }
  relu(x: Value) {
    return this.unary('Relu', x);
  }
  tanh(x: Value) {
    return this.unary('Tanh', x);
  }
  sigmoid(x: Value) {
    return this.unary('Sigmoid', x);
  }
  exp(x: Value) {
    return this.unary('Exp', x);
  }
  log(x: Value) {
    return this.unary('Log', x);
  }
  sqrt(x: Value) {
    return this.unary('Sqrt', x);
  }
  abs(x: Value) {
    return this.unary('Abs', x);
  }
  sign(x: Value) {
    return this.one('Sign', [x], x.dtype, x.shape, {}, true);
  }
  identity(x: Value) {
    return this.unary('Identity', x);
  }
  /** Identity through which no gradient flows. */
  stopGradient(x: Value) {
    return this.one('Identity', [x], x.dtype, x.shape, {}, true);
  }
  logSoftmax(x: Value, axis = -1) {
    normAxis(axis, x.shape.length);
    return this.unary('LogSoftmax', x, { axis: { i: axis } });
  }
  softmax(x: Value, axis = -1) {
    normAxis(axis, x.shape.length);
    return this.unary('Softmax', x, { axis: { i: axis } });
  }
  /** Clip with scalar bounds (either may be omitted). */
  clip(x: Value, min?: number | Value, max?: number | Value) {
    const lo = min === undefined ? null : typeof min === 'number' ? this.scalar(min, x.dtype) : min;
    const hi = max === undefined ? null : typeof max === 'number' ? this.scalar(max, x.dtype) : max;
    return this.one('Clip', [x, lo, hi], x.dtype, x.shape);
  }
  cast(x: Value, to: DType) {
    if (x.dtype === to) return x;
    return this.one('Cast', [x], to, x.shape, { to: { i: ONNX_DTYPE[to] } }, !isFloat(to) || !isFloat(x.dtype));
  }

  private compare(op: string, a: Value, b: Value) {
    this.sameType(op, a, b);
    return this.one(op, [a, b], 'bool', broadcastShapes(a.shape, b.shape), {}, true);
  }
  greater(a: Value, b: Value) {
    return this.compare('Greater', a, b);
  }
  less(a: Value, b: Value) {
    return this.compare('Less', a, b);
  }
  greaterOrEqual(a: Value, b: Value) {
    return this.compare('GreaterOrEqual', a, b);
  }
  lessOrEqual(a: Value, b: Value) {
    return this.compare('LessOrEqual', a, b);
  }
  equal(a: Value, b: Value) {
    return this.compare('Equal', a, b);
  }
  and(a: Value, b: Value) {
    return this.one('And', [a, b], 'bool', broadcastShapes(a.shape, b.shape), {}, true);
  }
  where(cond: Value, x: Value, y: Value) {
    if (cond.dtype !== 'bool') throw new ShapeError(`Where: condition must be bool, got ${cond.dtype}`);
    this.sameType('Where', x, y);
    return this.one('Where', [cond, x, y], x.dtype, broadcastShapes(cond.shape, x.shape, y.shape));
  }

  // ---------------------------------------------------------------- linear algebra

  /** Y = alpha·op(A)·op(B) + beta·C (C broadcast to [M, N]). */
  gemm(a: Value, b: Value, c: Value | null, opts: { transA?: boolean; transB?: boolean; alpha?: number; beta?: number } = {}): Value {
    this.sameType('Gemm', a, b);
    if (a.shape.length !== 2 || b.shape.length !== 2) throw new ShapeError(`Gemm: A and B must be 2-D, got ${fmt(a.shape)} and ${fmt(b.shape)}`);
    const [m, ka] = opts.transA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
    const [kb, n] = opts.transB ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
    if (ka !== kb) throw new ShapeError(`Gemm: inner dims differ: A ${fmt(a.shape)}${opts.transA ? 'ᵀ' : ''} · B ${fmt(b.shape)}${opts.transB ? 'ᵀ' : ''}`);
    if (c) {
      this.sameType('Gemm', a, c);
      if (c.shape.length > 2) throw new ShapeError(`Gemm: C must have rank ≤ 2, got ${fmt(c.shape)}`);
      const bc = broadcastShapes([m, n], c.shape);
      if (bc[0] !== m || bc[1] !== n) throw new ShapeError(`Gemm: C ${fmt(c.shape)} does not broadcast to [${m}, ${n}]`);
    }
    const attrs: Record<string, Attr> = {};
    if (opts.transA) attrs.transA = { i: 1 };
    if (opts.transB) attrs.transB = { i: 1 };
    if (opts.alpha !== undefined && opts.alpha !== 1) attrs.alpha = { f: opts.alpha };
    if (opts.beta !== undefined && opts.beta !== 1) attrs.beta = { f: opts.beta };
    return this.one('Gemm', c ? [a, b, c] : [a, b], a.dtype, [m, n], attrs);
  }

  /** Numpy matmul for rank ≥ 2 operands (batch dims broadcast). */
  matmul(a: Value, b: Value): Value {
    this.sameType('MatMul', a, b);
    if (a.shape.length < 2 || b.shape.length < 2) throw new ShapeError(`MatMul: operands must have rank ≥ 2, got ${fmt(a.shape)} and ${fmt(b.shape)}`);
    const m = a.shape[a.shape.length - 2]!;
    const k = a.shape[a.shape.length - 1]!;
    const k2 = b.shape[b.shape.length - 2]!;
    const n = b.shape[b.shape.length - 1]!;
    if (k !== k2) throw new ShapeError(`MatMul: inner dims differ: ${fmt(a.shape)} · ${fmt(b.shape)}`);
    const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
    return this.one('MatMul', [a, b], a.dtype, [...batch, m, n]);
  }

  transpose(x: Value, perm: readonly number[]): Value {
    if (perm.length !== x.shape.length) throw new ShapeError(`Transpose: perm ${fmt(perm)} for shape ${fmt(x.shape)}`);
    return this.one('Transpose', [x], x.dtype, perm.map((p) => x.shape[p]!), { perm: { ints: perm } });
  }

  // ---------------------------------------------------------------- reductions

  private reducedShape(x: Value, axes: readonly number[] | undefined, keepdims: boolean): { shape: Dim[]; axes: number[] } {
    const rank = x.shape.length;
    const ax = (axes ?? x.shape.map((_, i) => i)).map((a) => normAxis(a, rank));
    const shape: Dim[] = [];
    x.shape.forEach((d, i) => {
      if (!ax.includes(i)) shape.push(d);
      else if (keepdims) shape.push(1);
    });
    return { shape, axes: ax };
  }

  /** ReduceSum (opset 13+: axes is an input). All axes when `axes` is undefined. */
  reduceSum(x: Value, axes?: readonly number[], keepdims = false): Value {
    const r = this.reducedShape(x, axes, keepdims);
    return this.one('ReduceSum', axes ? [x, this.ints(r.axes)] : [x], x.dtype, r.shape, { keepdims: { i: keepdims ? 1 : 0 } });
  }

  private reduceAttr(op: string, x: Value, axes: readonly number[] | undefined, keepdims: boolean, noGrad = false): Value {
    const r = this.reducedShape(x, axes, keepdims);
    const attrs: Record<string, Attr> = { keepdims: { i: keepdims ? 1 : 0 } };
    if (axes) attrs.axes = { ints: r.axes };
    return this.one(op, [x], x.dtype, r.shape, attrs, noGrad);
  }

  /** ReduceMean (opset 17: axes is an attribute). */
  reduceMean(x: Value, axes?: readonly number[], keepdims = false) {
    return this.reduceAttr('ReduceMean', x, axes, keepdims);
  }
  reduceMax(x: Value, axes?: readonly number[], keepdims = false) {
    return this.reduceAttr('ReduceMax', x, axes, keepdims);
  }
  reduceLogSumExp(x: Value, axes?: readonly number[], keepdims = false) {
    return this.reduceAttr('ReduceLogSumExp', x, axes, keepdims);
  }
  reduceSumSquare(x: Value, axes?: readonly number[], keepdims = false) {
    return this.reduceAttr('ReduceSumSquare', x, axes, keepdims);
  }

  argMax(x: Value, axis: number, keepdims = false): Value {
    const a = normAxis(axis, x.shape.length);
    const shape = x.shape.flatMap((d, i) => (i === a ? (keepdims ? [1] : []) : [d]));
    return this.one('ArgMax', [x], 'int64', shape, { axis: { i: a }, keepdims: { i: keepdims ? 1 : 0 } }, true);
  }

  // ---------------------------------------------------------------- shapes

  shapeOf(x: Value): Value {
    return this.one('Shape', [x], 'int64', [x.shape.length], {}, true);
  }
  sizeOfValue(x: Value): Value {
    return this.one('Size', [x], 'int64', [], {}, true);
  }

  /** Reshape to a static target (0 copies the input dim, -1 is inferred). */
  reshape(x: Value, target: readonly number[]): Value {
    const tgt = target;
    const out: Dim[] = tgt.map((d, i) => {
      if (d === 0) {
        const src = x.shape[i];
        if (src === undefined) throw new ShapeError(`Reshape: 0 at position ${i} but input ${fmt(x.shape)} has rank ${x.shape.length}`);
        return src;
      }
      return d;
    });
    const neg = out.indexOf(-1);
    if (neg >= 0) {
      const known = out.filter((_, i) => i !== neg);
      if (isStatic(x.shape) && isStatic(known)) {
        const rest = sizeOf(known as number[]);
        const total = sizeOf(x.shape);
        if (total % rest !== 0) throw new ShapeError(`Reshape: cannot reshape ${fmt(x.shape)} to ${fmt(tgt)}`);
        out[neg] = total / rest;
      } else {
        // Cancel the symbolic dims copied through with 0, then what is left must be static.
        const symIn = x.shape.filter((d) => typeof d === 'string');
        const symOut = known.filter((d) => typeof d === 'string');
        const same = symIn.length === symOut.length && symIn.every((d, i) => d === symOut[i]);
        const numIn = x.shape.filter((d): d is number => typeof d === 'number');
        const numOut = known.filter((d): d is number => typeof d === 'number');
        out[neg] = same ? sizeOf(numIn) / sizeOf(numOut) : this.unknownDim();
      }
    } else if (isStatic(x.shape) && isStatic(out) && sizeOf(x.shape) !== sizeOf(out)) {
      throw new ShapeError(`Reshape: cannot reshape ${fmt(x.shape)} (${sizeOf(x.shape)} values) to ${fmt(out)}`);
    }
    return this.one('Reshape', [x, this.ints(tgt)], x.dtype, out);
  }

  /** Reshape `x` to the (runtime) shape of `like`. */
  reshapeLike(x: Value, like: Value): Value {
    if (isStatic(like.shape)) return this.reshape(x, like.shape as number[]);
    return this.one('Reshape', [x, this.shapeOf(like)], x.dtype, like.shape);
  }

  /** Broadcasts `x` to the (runtime) shape of `like`. */
  expandLike(x: Value, like: Value): Value {
    const shape = broadcastShapes(x.shape, like.shape);
    const target = isStatic(like.shape) ? this.ints(like.shape as number[]) : this.shapeOf(like);
    return this.one('Expand', [x, target], x.dtype, shape);
  }

  unsqueeze(x: Value, axes: readonly number[]): Value {
    const rank = x.shape.length + axes.length;
    const ax = axes.map((a) => normAxis(a, rank)).sort((p, q) => p - q);
    const out: Dim[] = [];
    let j = 0;
    for (let i = 0; i < rank; i++) out.push(ax.includes(i) ? 1 : x.shape[j++]!);
    return this.one('Unsqueeze', [x, this.ints(ax)], x.dtype, out);
  }

  squeeze(x: Value, axes: readonly number[]): Value {
    const ax = axes.map((a) => normAxis(a, x.shape.length));
    for (const a of ax) if (x.shape[a] !== 1) throw new ShapeError(`Squeeze: dim ${a} of ${fmt(x.shape)} is not 1`);
    return this.one('Squeeze', [x, this.ints(ax)], x.dtype, x.shape.filter((_, i) => !ax.includes(i)));
  }

  concat(xs: readonly Value[], axis: number): Value {
    const first = xs[0];
    if (!first) throw new ShapeError('Concat: no inputs');
    const a = normAxis(axis, first.shape.length);
    let total: Dim = 0;
    for (const x of xs) {
      this.sameType('Concat', first, x);
      if (x.shape.length !== first.shape.length) throw new ShapeError(`Concat: ranks differ: ${xs.map((v) => fmt(v.shape)).join(', ')}`);
      x.shape.forEach((d, i) => {
        if (i !== a && d !== first.shape[i]) throw new ShapeError(`Concat on axis ${a}: shapes ${xs.map((v) => fmt(v.shape)).join(', ')} differ off the axis`);
      });
      const d = x.shape[a]!;
      total = typeof total === 'number' && typeof d === 'number' ? total + d : this.unknownDim();
    }
    if (xs.length === 1) return first;
    const shape = [...first.shape];
    shape[a] = total;
    return this.one('Concat', xs, first.dtype, shape, { axis: { i: a } });
  }

  /** Static slice (ONNX semantics: clamped ends, steps ≥ 1). Sliced axes must have static sizes. */
  slice(x: Value, starts: readonly number[], ends: readonly number[], axes?: readonly number[], steps?: readonly number[]): Value {
    const ax = (axes ?? starts.map((_, i) => i)).map((a) => normAxis(a, x.shape.length));
    const st = steps ?? ax.map(() => 1);
    const shape = [...x.shape];
    ax.forEach((a, i) => {
      const d = x.shape[a]!;
      if (typeof d !== 'number') throw new ShapeError(`Slice: axis ${a} of ${fmt(x.shape)} is symbolic`);
      const step = st[i]!;
      if (step < 1) throw new ShapeError('Slice: only positive steps are supported');
      const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + d : v, 0), d);
      const s = clamp(starts[i]!);
      const e = clamp(ends[i]!);
      shape[a] = Math.max(0, Math.ceil((e - s) / step));
    });
    const inputs = [x, this.ints(starts), this.ints(ends), this.ints(ax)];
    if (steps) inputs.push(this.ints(st));
    return this.one('Slice', inputs, x.dtype, shape);
  }

  /** Split along a static axis into pieces of the given sizes (opset 13+: sizes as an input). */
  split(x: Value, sizes: readonly number[], axis: number): Value[] {
    const a = normAxis(axis, x.shape.length);
    const d = x.shape[a];
    if (typeof d === 'number' && sizes.reduce((p, q) => p + q, 0) !== d) throw new ShapeError(`Split: sizes ${fmt(sizes)} do not add up to dim ${a} of ${fmt(x.shape)}`);
    return this.node(
      'Split',
      [x, this.ints(sizes)],
      sizes.map((s) => {
        const shape = [...x.shape];
        shape[a] = s;
        return { dtype: x.dtype, shape };
      }),
      { axis: { i: a } },
    );
  }

  /** Constant zero padding; `pads` = [begin_0, …, begin_n, end_0, …, end_n]. */
  pad(x: Value, pads: readonly number[]): Value {
    const r = x.shape.length;
    if (pads.length !== 2 * r) throw new ShapeError(`Pad: ${pads.length} pads for rank ${r}`);
    const shape = x.shape.map((d, i) => {
      if (pads[i] === 0 && pads[i + r] === 0) return d;
      if (typeof d !== 'number') throw new ShapeError(`Pad: padded axis ${i} of ${fmt(x.shape)} is symbolic`);
      return d + pads[i]! + pads[i + r]!;
    });
    return this.one('Pad', [x, this.ints(pads)], x.dtype, shape, { mode: { s: 'constant' } });
  }

  /** OneHot(indices, depth) → float one-hot along a new last axis. */
  oneHot(indices: Value, depth: number, dtype: DType = this.dtype): Value {
    return this.one('OneHot', [indices, this.const([depth], [1], 'int64'), this.const([0, 1], [2], dtype)], dtype, [...indices.shape, depth], { axis: { i: -1 } }, true);
  }

  // ---------------------------------------------------------------- model

  toModel(opts: ModelOptions = {}): OnnxModel {
    const valueInfo = (v: Value): OnnxValueInfo => ({
      name: v.name,
      type: {
        tensor_type: {
          elem_type: ONNX_DTYPE[v.dtype],
          shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
        },
      },
    });
    const nodes: OnnxNode[] = this.nodes.map((n, i) => ({
      name: `${n.op}_${i}`,
      op_type: n.op,
      input: [...n.inputs],
      output: [...n.outputs],
      attribute: Object.entries(n.attrs).map(([name, a]) => attrProto(name, a)),
    }));
    return {
      ir_version: IR_VERSION,
      producer_name: opts.producerName ?? 'dagger-studio',
      producer_version: '1',
      opset_import: [{ domain: '', version: OPSET }],
      graph: {
        name: opts.graphName ?? 'graph',
        doc_string: opts.docString,
        node: nodes,
        initializer: this.initializers.map((t) => tensorFromArray(t.value.name, t.value.shape as number[], t.data, ONNX_DTYPE[t.value.dtype])),
        input: this.inputs.map(valueInfo),
        output: this.outputs.map(valueInfo),
      },
      metadata_props: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
    };
  }

  encode(opts: ModelOptions = {}): Uint8Array {
    return encodeModel(this.toModel(opts));
  }
}

export function isFloat(d: DType): d is FloatType {
  return d === 'float32' || d === 'float64';
}

function attrProto(name: string, a: Attr): OnnxAttribute {
  if ('i' in a) return { name, type: 2, i: a.i };
  if ('f' in a) return { name, type: 1, f: a.f };
  if ('ints' in a) return { name, type: 7, ints: [...a.ints] };
  if ('floats' in a) return { name, type: 6, floats: [...a.floats] };
  return { name, type: 3, s: new TextEncoder().encode(a.s) };
}
