import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ActionSpace, BoxSpace } from '../envs/types';
import { GraphBuilder } from './graph';
import { exportPolicy, FORMAT, OUTPUT_NAMES, PolicyMetadataError, readPolicyMetadata } from './export';
import { decodeModel } from './onnx-proto';
import { createSession, ort } from './ort';
import { initParams, type NetShape } from './policy-net';
import type { PolicyKind } from './policy-spec';
import { findPython } from './python';

const OBS: BoxSpace = { kind: 'box', size: 4, low: [-Infinity, -Infinity, -1, -1], high: [Infinity, Infinity, 1, 1], names: ['a', 'b', 'c', 'd'] };
const DISC: ActionSpace = { kind: 'discrete', n: 3, names: ['left', 'noop', 'right'], keys: ['a', 's', 'd'] };
const BOX: ActionSpace = { kind: 'box', size: 2, low: [-1, 0], high: [1, 4], names: ['steer', 'gas'] };
const NORM = { mean: [0.5, -1, 2, 0], std: [2, 0.5, 1, 3] };

function shapeFor(kind: PolicyKind): NetShape {
  return { kind, obsDim: 4, actDim: kind === 'categorical' ? 3 : 2, hidden: [16, 8], activation: 'tanh', components: 3 };
}

function make(kind: PolicyKind, M: number, opts: { norm?: typeof NORM; scaled?: boolean } = {}) {
  const shape = shapeFor(kind);
  const members = Array.from({ length: M }, (_, m) => initParams(shape, 11 + m).map((v, i) => v + 0.3 * Math.sin(i * (m + 1)))); // not tiny heads
  const space = kind === 'categorical' ? DISC : BOX;
  const scaling = kind === 'categorical' ? null : opts.scaled === false ? { center: [0, 0], scale: [1, 1] } : { center: [0, 2], scale: [1, 2] };
  const bytes = exportPolicy({
    shape,
    members,
    obsNorm: opts.norm ?? NORM,
    actionSpace: space,
    actionScaling: scaling,
    meta: { envId: 'Test-v0', observationSpace: OBS, round: 3, datasetHash: 'ab'.repeat(32), createdBy: 'export.test', hyperparameters: { lr: 0.001 } },
  });
  return { bytes, shape, members, space };
}

async function run(bytes: Uint8Array, obs: Float32Array, n: number) {
  const s = await createSession(bytes);
  const out = await s.run({ obs: new ort.Tensor('float32', obs, [n, 4]) });
  await s.release();
  return out;
}

const obs5 = Float32Array.from({ length: 20 }, (_, i) => 3 * Math.sin(i * 1.7));
const VARIANTS = (['categorical', 'gaussian', 'mixture'] as const).flatMap((kind) => [1, 3].map((M) => ({ kind, M })));

describe('exported policy files', () => {
  for (const { kind, M } of VARIANTS) {
    it(`${kind}${M > 1 ? ` ensemble of ${M}` : ''}: IR 8, opset 17, weights as initializers, outputs and shapes`, async () => {
      const { bytes, shape } = make(kind, M);
      const model = decodeModel(bytes);
      expect(model.ir_version).toBe(8);
      expect(model.opset_import).toEqual([{ domain: '', version: 17 }]);
      expect(model.graph!.node!.every((n) => !n.domain)).toBe(true);
      expect(model.graph!.input!.map((i) => i.name)).toEqual(['obs']);
      expect(model.graph!.input![0]!.type!.tensor_type!.shape!.dim).toEqual([{ dim_param: 'batch' }, { dim_value: 4 }]);
      expect(model.graph!.output!.map((o) => o.name)).toEqual([...OUTPUT_NAMES[kind]]);
      expect(model.graph!.initializer!.some((t) => t.name === (M > 1 ? 'm2.l0.weight' : 'params.l0.weight'))).toBe(true);

      const out = await run(bytes, obs5, 5);
      const lead = M > 1 ? [5, M] : [5];
      const d = shape.actDim;
      if (kind === 'categorical') {
        expect(out.action!.dims).toEqual([5]);
        expect(out.action!.type).toBe('int64');
        expect(out.logits!.dims).toEqual([...lead, d]);
      } else if (kind === 'gaussian') {
        expect(out.action!.dims).toEqual([5, d]);
        expect(out.mean!.dims).toEqual([...lead, d]);
        expect(out.log_std!.dims).toEqual([...lead, d]);
      } else {
        expect(out.action!.dims).toEqual([5, d]);
        expect(out.mix_logits!.dims).toEqual([...lead, 3]);
        expect(out.means!.dims).toEqual([...lead, 3, d]);
        expect(out.log_stds!.dims).toEqual([...lead, 3, d]);
      }
    });
  }

  it('metadata round-trips and is validated', () => {
    const { bytes } = make('gaussian', 1);
    const meta = readPolicyMetadata(bytes);
    expect(meta).toMatchObject({
      format: FORMAT,
      envId: 'Test-v0',
      policyClass: 'gaussian',
      ensemble: 1,
      round: 3,
      datasetHash: 'ab'.repeat(32),
      createdBy: 'export.test',
      hyperparameters: { lr: 0.001 },
      net: { obsDim: 4, actDim: 2, hidden: [16, 8], activation: 'tanh', components: 1 },
      normalization: { obsMean: NORM.mean, obsStd: NORM.std, actionCenter: [0, 2], actionScale: [1, 2] },
    });
    expect(meta.actionSpace).toEqual(BOX);
    // ±Infinity bounds are stored as null (JSON has no Infinity).
    expect(meta.observationSpace!.low).toEqual([null, null, -1, -1]);
    const torchLike = plainModel();
    expect(() => readPolicyMetadata(torchLike)).toThrow(PolicyMetadataError);
    expect(() => readPolicyMetadata(torchLike)).toThrow(/format is missing/);
  });

  it('observation normalisation is baked in: raw obs with (mean, std) = normalised obs with identity', async () => {
    const a = make('categorical', 1);
    const b = make('categorical', 1, { norm: { mean: [0, 0, 0, 0], std: [1, 1, 1, 1] } });
    const normalised = obs5.map((x, i) => (x - NORM.mean[i % 4]!) / NORM.std[i % 4]!);
    const ra = (await run(a.bytes, obs5, 5)).logits!.data as Float32Array;
    const rb = (await run(b.bytes, normalised, 5)).logits!.data as Float32Array;
    ra.forEach((v, i) => expect(v).toBeCloseTo(rb[i]!, 5));
  });

  it('continuous outputs are in env units: mean = center + scale · network output; log_std shifted by log scale; action clipped', async () => {
    const scaled = await run(make('gaussian', 1).bytes, obs5, 5);
    const raw = await run(make('gaussian', 1, { scaled: false }).bytes, obs5, 5);
    const ms = scaled.mean!.data as Float32Array;
    const mr = raw.mean!.data as Float32Array;
    const ls = scaled.log_std!.data as Float32Array;
    const lr = raw.log_std!.data as Float32Array;
    const act = scaled.action!.data as Float32Array;
    for (let i = 0; i < 5; i++) {
      expect(ms[i * 2]).toBeCloseTo(mr[i * 2]!, 5);
      expect(ms[i * 2 + 1]).toBeCloseTo(2 + 2 * mr[i * 2 + 1]!, 5);
      expect(ls[i * 2 + 1]).toBeCloseTo(lr[i * 2 + 1]! + Math.log(2), 5);
      expect(act[i * 2]).toBeCloseTo(Math.min(1, Math.max(-1, ms[i * 2]!)), 6);
      expect(act[i * 2 + 1]).toBeCloseTo(Math.min(4, Math.max(0, ms[i * 2 + 1]!)), 6);
    }
  });

  it('ensemble combined action: argmax of the mean member probabilities / mean of member means', async () => {
    const cat = await run(make('categorical', 3).bytes, obs5, 5);
    const logits = cat.logits!.data as Float32Array;
    for (let i = 0; i < 5; i++) {
      const mean = [0, 0, 0];
      for (let m = 0; m < 3; m++) {
        const z = Array.from(logits.subarray((i * 3 + m) * 3, (i * 3 + m) * 3 + 3));
        const s = z.reduce((a, q) => a + Math.exp(q), 0);
        z.forEach((q, a) => (mean[a]! += Math.exp(q) / s / 3));
      }
      expect(Number((cat.action!.data as BigInt64Array)[i])).toBe(mean.indexOf(Math.max(...mean)));
    }
    const g = await run(make('gaussian', 3).bytes, obs5, 5);
    const means = g.mean!.data as Float32Array;
    const act = g.action!.data as Float32Array;
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 2; j++) {
        const avg = (means[(i * 3) * 2 + j]! + means[(i * 3 + 1) * 2 + j]! + means[(i * 3 + 2) * 2 + j]!) / 3;
        expect(act[i * 2 + j]).toBeCloseTo(Math.min(BOX.high[j]!, Math.max(BOX.low[j]!, avg)), 5);
      }
  });

  it('mixture deterministic action is the most likely component’s mean', async () => {
    const out = await run(make('mixture', 1).bytes, obs5, 5);
    const ml = out.mix_logits!.data as Float32Array;
    const means = out.means!.data as Float32Array;
    const act = out.action!.data as Float32Array;
    for (let i = 0; i < 5; i++) {
      const z = Array.from(ml.subarray(i * 3, i * 3 + 3));
      const k = z.indexOf(Math.max(...z));
      for (let j = 0; j < 2; j++) expect(act[i * 2 + j]).toBeCloseTo(Math.min(BOX.high[j]!, Math.max(BOX.low[j]!, means[(i * 3 + k) * 2 + j]!)), 6);
    }
  });

  const python = findPython(['onnx']);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'export-check-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  it.skipIf(!python)('every variant passes onnx.checker.check_model(m, full_check=True) (python3-onnx)', () => {
    const files = VARIANTS.map(({ kind, M }) => {
      const f = path.join(tmp, `${kind}-${M}.onnx`);
      writeFileSync(f, make(kind, M).bytes);
      return f;
    });
    const script = 'import sys, onnx\nfor f in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(f), full_check=True)\n    print("ok", f)\n';
    const r = spawnSync(python!, ['-c', script, ...files], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(files.length);
  });
  if (!python) it.skip('python3-onnx is not importable here: skipped onnx.checker (install python3-onnx)', () => undefined);
});

/** A plain model without this project's metadata. */
function plainModel(): Uint8Array {
  const b = new GraphBuilder();
  b.output(b.relu(b.input('x', ['n', 4])), 'y');
  return b.encode();
}
