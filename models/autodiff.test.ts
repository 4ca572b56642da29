import { describe, expect, it } from 'vitest';
import { DIFFERENTIABLE_OPS, replaceRuleForTest } from './autodiff';
import type { GraphBuilder, Value } from './graph';
import { checkGradients, type GradInput, rand, randn } from './testing';

const TOL = 1e-6;

/** loss = Σ f(x) ⊙ r with a fixed random r (fed as an input), so every output entry gets its own upstream gradient. */
function weighted(f: (b: GraphBuilder, x: Record<string, Value>) => Value) {
  return (b: GraphBuilder, x: Record<string, Value>) => b.reduceSum(b.mul(f(b, x), x.r!));
}

const inp = (name: string, shape: (number | string)[], dims: number[], data?: Float64Array, diff = true): GradInput => ({
  name,
  shape,
  dims,
  data: data ?? randn(dims.reduce((a, b) => a * b, 1), name.length * 7919 + dims.length),
  diff,
});
const r = (shape: (number | string)[], dims: number[]) => inp('r', shape, dims, randn(dims.reduce((a, b) => a * b, 1), 99), false);

interface Case {
  name: string;
  ops: string[];
  fn: (b: GraphBuilder, x: Record<string, Value>) => Value;
  inputs: GradInput[];
  /** Finite-difference step (default 1e-5). */
  h?: number;
}

// Inputs away from kinks (Relu at 0, Clip at its bounds, Abs at 0) so central differences are valid there.
const awayFromZero = (n: number, seed: number) => randn(n, seed).map((v) => (v >= 0 ? v + 0.1 : v - 0.1));

const CASES: Case[] = [
  { name: 'Gemm transB with bias [N], symbolic batch', ops: ['Gemm'], fn: weighted((b, x) => b.gemm(x.a!, x.w!, x.c!, { transB: true })), inputs: [inp('a', ['batch', 3], [4, 3]), inp('w', [2, 3], [2, 3]), inp('c', [2], [2]), r(['batch', 2], [4, 2])] },
  { name: 'Gemm transA, alpha/beta, C [M, N]', ops: ['Gemm'], fn: weighted((b, x) => b.gemm(x.a!, x.w!, x.c!, { transA: true, alpha: 0.7, beta: 1.3 })), inputs: [inp('a', [3, 4], [3, 4]), inp('w', [3, 2], [3, 2]), inp('c', [4, 2], [4, 2]), r([4, 2], [4, 2])] },
  { name: 'Gemm transA transB, C [1, N]', ops: ['Gemm'], fn: weighted((b, x) => b.gemm(x.a!, x.w!, x.c!, { transA: true, transB: true })), inputs: [inp('a', [3, 4], [3, 4]), inp('w', [2, 3], [2, 3]), inp('c', [1, 2], [1, 2]), r([4, 2], [4, 2])] },
  { name: 'Gemm plain, scalar C', ops: ['Gemm'], fn: weighted((b, x) => b.gemm(x.a!, x.w!, x.c!)), inputs: [inp('a', [4, 3], [4, 3]), inp('w', [3, 2], [3, 2]), inp('c', [], []), r([4, 2], [4, 2])] },
  { name: 'MatMul 2-D', ops: ['MatMul'], fn: weighted((b, x) => b.matmul(x.a!, x.w!)), inputs: [inp('a', ['batch', 3], [4, 3]), inp('w', [3, 5], [3, 5]), r(['batch', 5], [4, 5])] },
  { name: 'MatMul batched with broadcast', ops: ['MatMul'], fn: weighted((b, x) => b.matmul(x.a!, x.w!)), inputs: [inp('a', [2, 4, 3], [2, 4, 3]), inp('w', [3, 2], [3, 2]), r([2, 4, 2], [2, 4, 2])] },
  { name: 'Add / Sub broadcasting', ops: ['Add', 'Sub'], fn: weighted((b, x) => b.sub(b.add(x.a!, x.c!), x.d!)), inputs: [inp('a', ['batch', 3], [4, 3]), inp('c', [3], [3]), inp('d', ['batch', 1], [4, 1]), r(['batch', 3], [4, 3])] },
  { name: 'Mul / Div broadcasting (inner and leading axes)', ops: ['Mul', 'Div'], fn: weighted((b, x) => b.div(b.mul(x.a!, x.c!), x.d!)), inputs: [inp('a', [2, 3, 4], [2, 3, 4]), inp('c', [3, 1], [3, 1]), inp('d', [1, 4], [1, 4], rand(4, 5, 0.5, 2)), r([2, 3, 4], [2, 3, 4])] },
  { name: 'Sum (variadic) and Identity', ops: ['Sum', 'Identity'], fn: weighted((b, x) => b.identity(b.sum([x.a!, x.c!, x.a!]))), inputs: [inp('a', [3, 2], [3, 2]), inp('c', [2], [2]), r([3, 2], [3, 2])] },
  { name: 'Neg, Relu', ops: ['Neg', 'Relu'], fn: weighted((b, x) => b.relu(b.neg(x.a!))), inputs: [inp('a', [3, 4], [3, 4], awayFromZero(12, 3)), r([3, 4], [3, 4])] },
  { name: 'Tanh, Sigmoid', ops: ['Tanh', 'Sigmoid'], fn: weighted((b, x) => b.add(b.tanh(x.a!), b.sigmoid(x.a!))), inputs: [inp('a', [3, 4], [3, 4]), r([3, 4], [3, 4])] },
  { name: 'Exp, Log, Sqrt', ops: ['Exp', 'Log', 'Sqrt'], fn: weighted((b, x) => b.add(b.exp(x.a!), b.add(b.log(x.p!), b.sqrt(x.p!)))), inputs: [inp('a', [5], [5]), inp('p', [5], [5], rand(5, 8, 0.3, 3)), r([5], [5])] },
  { name: 'Abs', ops: ['Abs'], fn: weighted((b, x) => b.abs(x.a!)), inputs: [inp('a', [6], [6], awayFromZero(6, 4)), r([6], [6])] },
  { name: 'Pow, constant exponents 2 and 1.5', ops: ['Pow'], fn: weighted((b, x) => b.add(b.pow(x.a!, b.scalar(2)), b.pow(x.p!, b.scalar(1.5)))), inputs: [inp('a', [4], [4]), inp('p', [4], [4], rand(4, 2, 0.5, 2)), r([4], [4])] },
  { name: 'Pow, input exponent', ops: ['Pow'], fn: weighted((b, x) => b.pow(x.p!, x.e!)), inputs: [inp('p', [2, 3], [2, 3], rand(6, 2, 0.5, 2)), inp('e', [3], [3]), r([2, 3], [2, 3])] },
  { name: 'LogSoftmax axis 1', ops: ['LogSoftmax'], fn: weighted((b, x) => b.logSoftmax(x.a!, 1)), inputs: [inp('a', ['batch', 4], [3, 4]), r(['batch', 4], [3, 4])] },
  { name: 'LogSoftmax axis 0, Softmax axis -1', ops: ['LogSoftmax', 'Softmax'], fn: weighted((b, x) => b.add(b.logSoftmax(x.a!, 0), b.softmax(x.a!, -1))), inputs: [inp('a', [3, 4], [3, 4]), r([3, 4], [3, 4])] },
  { name: 'ReduceSum axes [1] and all', ops: ['ReduceSum'], fn: (b, x) => b.add(b.reduceSum(b.mul(b.reduceSum(x.a!, [1], false), x.r!)), b.reduceSum(b.mul(x.a!, x.a!))), inputs: [inp('a', ['batch', 3], [4, 3]), r(['batch'], [4])] },
  { name: 'ReduceSum keepdims over axes [0, 2]', ops: ['ReduceSum'], fn: weighted((b, x) => b.reduceSum(x.a!, [0, 2], true)), inputs: [inp('a', [2, 3, 4], [2, 3, 4]), r([1, 3, 1], [1, 3, 1])] },
  { name: 'ReduceMean over a symbolic axis and a static one', ops: ['ReduceMean'], fn: (b, x) => b.add(b.reduceSum(b.mul(b.reduceMean(x.a!, [0], false), x.r!)), b.reduceSum(b.mul(b.reduceMean(x.a!, [1], true), b.reduceMean(x.a!, [1], true)))), inputs: [inp('a', ['batch', 3], [5, 3]), r([3], [3])] },
  { name: 'ReduceMax', ops: ['ReduceMax'], fn: weighted((b, x) => b.reduceMax(x.a!, [1], false)), inputs: [inp('a', [3, 4], [3, 4]), r([3], [3])] },
  { name: 'ReduceLogSumExp (large values)', ops: ['ReduceLogSumExp'], fn: weighted((b, x) => b.reduceLogSumExp(x.a!, [1], false)), inputs: [inp('a', [3, 4], [3, 4], randn(12, 6, 30)), r([3], [3])] },
  { name: 'ReduceSumSquare', ops: ['ReduceSumSquare'], fn: weighted((b, x) => b.reduceSumSquare(x.a!, [0], true)), inputs: [inp('a', [3, 4], [3, 4]), r([1, 4], [1, 4])] },
  { name: 'Reshape, Unsqueeze, Squeeze', ops: ['Reshape', 'Unsqueeze', 'Squeeze'], fn: weighted((b, x) => b.squeeze(b.unsqueeze(b.reshape(x.a!, [0, 2, 3]), [1]), [1])), inputs: [inp('a', ['batch', 6], [2, 6]), r(['batch', 2, 3], [2, 2, 3])] },
  { name: 'Transpose', ops: ['Transpose'], fn: weighted((b, x) => b.transpose(x.a!, [2, 0, 1])), inputs: [inp('a', [2, 3, 4], [2, 3, 4]), r([4, 2, 3], [4, 2, 3])] },
  { name: 'Expand', ops: ['Expand'], fn: weighted((b, x) => b.expandLike(x.c!, x.r!)), inputs: [inp('c', [3, 1], [3, 1]), r(['batch', 3, 4], [2, 3, 4])] },
  { name: 'Concat', ops: ['Concat'], fn: weighted((b, x) => b.concat([x.a!, x.c!, x.a!], 1)), inputs: [inp('a', ['batch', 2], [3, 2]), inp('c', ['batch', 1], [3, 1]), r(['batch', 5], [3, 5])] },
  { name: 'Slice (with negative start)', ops: ['Slice'], fn: weighted((b, x) => b.slice(x.a!, [1, -3], [3, 100], [0, 1])), inputs: [inp('a', [4, 5], [4, 5]), r([2, 3], [2, 3])] },
  { name: 'Split (one output unused) and Pad', ops: ['Split', 'Pad'], fn: (b, x) => { const [p, , q] = b.split(x.a!, [1, 2, 2], 1); return b.reduceSum(b.mul(b.pad(b.add(p!, q!), [1, 0, 0, 2]), x.r!)); }, inputs: [inp('a', [3, 5], [3, 5]), r([4, 4], [4, 4])] },
  { name: 'Clip (both bounds, one bound)', ops: ['Clip'], fn: weighted((b, x) => b.add(b.clip(x.a!, -0.5, 0.5), b.clip(x.a!, undefined, 0.3))), inputs: [inp('a', [10], [10], Float64Array.from([-2, -0.7, -0.4, -0.1, 0.05, 0.2, 0.28, 0.45, 0.6, 1.5])), r([10], [10])] },
  { name: 'Where', ops: ['Where'], fn: weighted((b, x) => b.where(b.greater(x.m!, b.scalar(0)), x.a!, x.c!)), inputs: [inp('m', [3, 4], [3, 4], undefined, false), inp('a', [3, 4], [3, 4]), inp('c', [4], [4]), r([3, 4], [3, 4])] },
  { name: 'Cast float64 → float64 round trip through float32', ops: ['Cast'], fn: weighted((b, x) => b.cast(b.mul(b.cast(x.a!, 'float32'), b.scalar(2, 'float32')), 'float64')), inputs: [inp('a', [4], [4], Float64Array.from([0.5, 1.25, -2, 3])), r([4], [4])], h: 1 / 64 },
];

describe('autodiff vs central finite differences (float64, run by onnxruntime-node)', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      // Cast goes through float32, so its step is a power of two that keeps x ± h representable there.
      const res = await checkGradients(c.fn, c.inputs, c.h);
      expect(res.maxRelErr, res.worst).toBeLessThan(TOL);
    });
  }

  it('covers every op that has a gradient rule', () => {
    const tested = new Set(CASES.flatMap((c) => c.ops));
    expect(DIFFERENTIABLE_OPS.filter((op) => !tested.has(op))).toEqual([]);
  });

  it('detects a wrong gradient rule (the check can fail)', async () => {
    // Tanh's rule without the (1 − y²) factor: the finite differences must disagree.
    const restore = replaceRuleForTest('Tanh', ({ dy }) => [dy[0]!]);
    try {
      const res = await checkGradients(weighted((b, x) => b.tanh(x.a!)), [inp('a', [4], [4]), r([4], [4])]);
      expect(res.maxRelErr).toBeGreaterThan(1e-2);
    } finally {
      restore();
    }
  });
});
