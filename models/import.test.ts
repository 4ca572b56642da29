import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ActionSpace } from '../envs/types';
import { GraphBuilder } from './graph';
import { importPolicy, PolicyImportError, validateExternalPolicy } from './import';
import { loadPolicy } from './infer';
import { decodeModel, encodeModel } from './onnx-proto';
import { findPython } from './python';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => new Uint8Array(readFileSync(path.join(here, 'fixtures', name)));
const refs = JSON.parse(readFileSync(path.join(here, 'fixtures', 'torch_fixtures.json'), 'utf8')) as Record<string, { obs: number[]; out: number[] }>;

const CARTPOLE_OBS = { size: 4 };
const TWO_ACTIONS: ActionSpace = { kind: 'discrete', n: 2, names: ['left', 'right'], keys: ['ArrowLeft', 'ArrowRight'] };
const TORQUE: ActionSpace = { kind: 'box', size: 1, low: [-2], high: [2], names: ['torque'] };

async function expectImportError(p: Promise<unknown>, ...parts: (string | RegExp)[]) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PolicyImportError);
  for (const part of parts) expect((err as Error).message).toMatch(part);
}

/** A minimal MLP built with our own graph builder, for shape / type variations. */
function mlp(opts: { inShape?: (number | string)[]; outDim?: number; obsDim?: number; dtype?: 'float32' | 'float64' } = {}) {
  const obsDim = opts.obsDim ?? 4;
  const b = new GraphBuilder({ dtype: opts.dtype ?? 'float32' });
  const x = b.input('x', opts.inShape ?? ['N', obsDim]);
  const Arr = opts.dtype === 'float64' ? Float64Array : Float32Array;
  const w = b.initializer('w', [obsDim, opts.outDim ?? 2], new Arr((opts.outDim ?? 2) * obsDim).fill(0.1));
  b.output(b.matmul(x, w), 'y');
  return b.encode();
}

describe('import: the committed torch.onnx.export fixtures', () => {
  it('a categorical MLP is accepted, and runs with the same outputs as PyTorch', async () => {
    const { bytes, report } = await importPolicy(fixture('torch_mlp_categorical.onnx'), { observationSpace: CARTPOLE_OBS, actionSpace: TWO_ACTIONS }, { envId: 'CartPole-v1' });
    expect(report.kind).toBe('categorical');
    expect(report.input).toEqual({ name: 'obs', shape: ['batch', 4] });
    expect(report.output.shape).toEqual(['batch', 2]);
    expect(report.producer).toMatch(/pytorch/);
    const policy = await loadPolicy(bytes);
    expect(policy.external).toBe(true);
    const ref = refs.categorical!;
    const r = await policy.act(Float32Array.from(ref.obs), 5);
    const logits = r.dist.logits!;
    ref.out.forEach((v, i) => expect(logits[i]).toBeCloseTo(v, 5));
    for (let i = 0; i < 5; i++) expect(r.actions[i]).toBe(ref.out[2 * i]! >= ref.out[2 * i + 1]! ? 0 : 1);
    await policy.release();
  });

  it('a continuous MLP is accepted as a deterministic policy; actions are clipped to the box', async () => {
    const { bytes, report } = await importPolicy(fixture('torch_mlp_continuous.onnx'), { observationSpace: { size: 3 }, actionSpace: TORQUE });
    expect(report.kind).toBe('deterministic');
    const policy = await loadPolicy(bytes);
    const ref = refs.continuous!;
    const r = await policy.act(Float32Array.from(ref.obs), 5);
    ref.out.forEach((v, i) => {
      expect(r.dist.mean![i]).toBeCloseTo(v, 5);
      expect(r.actions[i]).toBeCloseTo(Math.min(2, Math.max(-2, v)), 5);
    });
    const big = await policy.act(Float32Array.from([100, 100, 100]), 1);
    expect(Math.abs(big.actions[0]!)).toBeLessThanOrEqual(2);
    await policy.release();
  });

  it('the imported file keeps every original byte (metadata is appended)', async () => {
    const original = fixture('torch_mlp_categorical.onnx');
    const { bytes } = await importPolicy(original, { observationSpace: CARTPOLE_OBS, actionSpace: TWO_ACTIONS });
    expect(Buffer.from(bytes.subarray(0, original.length)).equals(Buffer.from(original))).toBe(true);
  });

  it('a fixed batch size is refused with both shapes and the fix', async () => {
    await expectImportError(validateExternalPolicy(fixture('torch_mlp_fixed_batch.onnx'), { observationSpace: CARTPOLE_OBS, actionSpace: TWO_ACTIONS }), /fixed batch size/, /\[1, 4\]/, /\[batch, 4\]/, /dynamic_axes/);
  });

  it('wrong observation size, wrong number of actions, wrong kind of space', async () => {
    const cat = fixture('torch_mlp_categorical.onnx');
    await expectImportError(validateExternalPolicy(cat, { observationSpace: { size: 6 }, actionSpace: TWO_ACTIONS }), "input 'obs' has shape [batch, 4], expected [batch, 6]");
    await expectImportError(validateExternalPolicy(cat, { observationSpace: CARTPOLE_OBS, actionSpace: { ...TWO_ACTIONS, n: 3, names: ['a', 'b', 'c'], keys: ['1', '2', '3'] } }), "output 'out' has shape [batch, 2], expected [batch, 3]", /logits for 3 actions/);
    await expectImportError(validateExternalPolicy(cat, { observationSpace: CARTPOLE_OBS, actionSpace: { kind: 'box', size: 1, low: [-1], high: [1], names: ['u'] } }), /expected \[batch, 1\]/, /actions of 1 dims/);
  });
});

describe('import: bad inputs', () => {
  const spaces = { observationSpace: CARTPOLE_OBS, actionSpace: TWO_ACTIONS };

  it('bytes that are not ONNX', async () => {
    await expectImportError(validateExternalPolicy(new Uint8Array(0), spaces), /not an ONNX model: the file is empty/);
    await expectImportError(validateExternalPolicy(new TextEncoder().encode('{"this": "is json, not onnx"}'), spaces), /not an ONNX model/);
    await expectImportError(validateExternalPolicy(Uint8Array.from({ length: 300 }, (_, i) => (i * 37 + 11) % 256), spaces), /not an ONNX model/);
  });

  it('a node in a non-standard domain (custom op) is named', async () => {
    const model = decodeModel(mlp());
    model.opset_import!.push({ domain: 'com.example', version: 1 });
    model.graph!.node!.push({ op_type: 'FancyActivation', domain: 'com.example', name: 'fancy_0', input: ['y'], output: ['z'] });
    model.graph!.output = [{ name: 'z', type: model.graph!.output![0]!.type }];
    await expectImportError(validateExternalPolicy(encodeModel(model), spaces), "node 'fancy_0' uses the custom operator com.example::FancyActivation");
  });

  it('an unknown op in the default domain fails when onnxruntime loads it', async () => {
    const model = decodeModel(mlp());
    model.graph!.node!.push({ op_type: 'NotARealOp', domain: '', name: 'x0', input: ['y'], output: ['z'] });
    model.graph!.output = [{ name: 'z', type: model.graph!.output![0]!.type }];
    await expectImportError(validateExternalPolicy(encodeModel(model), spaces), /onnxruntime cannot load the model/, /NotARealOp/);
  });

  it('float64 inputs, two inputs, rank-3 input', async () => {
    await expectImportError(validateExternalPolicy(mlp({ dtype: 'float64' }), spaces), "input 'x' has element type double, expected float32 [batch, 4]");
    const b = new GraphBuilder();
    const x1 = b.input('a', ['N', 4]);
    const x2 = b.input('b', ['N', 4]);
    b.output(b.add(x1, x2), 'y');
    await expectImportError(validateExternalPolicy(b.encode(), spaces), "expected exactly one input (observations, float32 [batch, 4]), found 2: 'a', 'b'");
    await expectImportError(validateExternalPolicy(mlp({ inShape: ['N', 1, 4] }), spaces), /has shape \[N, 1, 4\], expected \[batch, 4\]/);
  });

  it('a model whose declared shapes hide a wrong output size is caught by running it', async () => {
    // Output declared with unknown dims, actually [n, 5].
    const model = decodeModel(mlp({ outDim: 5 }));
    model.graph!.output![0]!.type!.tensor_type!.shape = { dim: [{ dim_param: 'N' }, { dim_param: 'K' }] };
    await expectImportError(validateExternalPolicy(encodeModel(model), spaces), "for a batch of 1 the output 'y' is float32 [1, 5], expected float32 [1, 2]");
  });
});

describe('import: a model exported by torch in this test run', () => {
  const python = findPython(['torch', 'onnx']);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'torch-import-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  it.skipIf(!python)('torch.onnx.export → importPolicy → same outputs as PyTorch', async () => {
    const r = spawnSync(python!, [path.join(here, 'fixtures', 'make_torch_fixtures.py'), tmp], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const fresh = JSON.parse(readFileSync(path.join(tmp, 'torch_fixtures.json'), 'utf8')) as Record<string, { obs: number[]; out: number[] }>;
    const { bytes } = await importPolicy(new Uint8Array(readFileSync(path.join(tmp, 'torch_mlp_categorical.onnx'))), { observationSpace: CARTPOLE_OBS, actionSpace: TWO_ACTIONS });
    const policy = await loadPolicy(bytes);
    const out = await policy.act(Float32Array.from(fresh.categorical!.obs), 5);
    fresh.categorical!.out.forEach((v, i) => expect(out.dist.logits![i]).toBeCloseTo(v, 5));
    await policy.release();
  });
  if (!python) it.skip('torch is not importable by any python3 here (install python3-torch): skipped the fresh torch export', () => undefined);
});
