/**
 * The Python client (examples/external_client.py, standard library only) against this repo's own code, offline:
 *  - its pure-Python ONNX evaluator gives the outputs onnxruntime-node gives (to 1e-4) for policies trained and
 *    exported by models/ (categorical, categorical ensemble, gaussian, mixture) and for an imported PyTorch MLP;
 *  - its CartPole-v1 follows envs/cartpole.ts (same start states for a seed, same trajectories);
 *  - a rollout of a trained policy in Python takes, step by step, the action ORT's deterministic policy takes;
 *  - operators it does not implement and malformed input are refused with a clear message and exit code 1.
 * The HTTP half (GET policy / POST rollouts) runs against a real server in e2e/python-client.spec.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getEnv } from '../envs/registry';
import { GraphBuilder } from '../models/graph';
import { importPolicy } from '../models/import';
import { loadPolicy } from '../models/infer';
import { DataType, decodeModel, encodeModel, tensorToArray } from '../models/onnx-proto';
import { createSession, ort } from '../models/ort';
import { findPython } from '../models/python';
import { trainPolicy } from '../models/train';

const here = import.meta.dirname;
const SCRIPT = path.join(here, 'external_client.py');
const python = findPython([]);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'pyclient-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type PyOutputs = Record<string, { shape: number[]; data: number[] }>;

function runPy(args: string[]) {
  // No __pycache__ beside the script when a test imports it as a module.
  return spawnSync(python!, args, { encoding: 'utf8', timeout: 300_000, cwd: here, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
}

/** `external_client.py --eval-onnx FILE --obs ROWS` → its outputs. */
function evalPy(bytes: Uint8Array, rows: number[][]): PyOutputs {
  const file = path.join(tmp, `m${Math.random().toString(36).slice(2)}.onnx`);
  writeFileSync(file, bytes);
  const r = runPy([SCRIPT, '--eval-onnx', file, '--obs', JSON.stringify(rows)]);
  if (r.status !== 0) throw new Error(`external_client.py --eval-onnx exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as PyOutputs;
}

/** A few lines of Python that import the client as a module; prints JSON. */
function pyModule(code: string): unknown {
  const r = runPy(['-c', `import json, sys\nsys.path.insert(0, ${JSON.stringify(here)})\nimport external_client as c\n${code}`]);
  if (r.status !== 0) throw new Error(`python exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function evalOrt(bytes: Uint8Array, rows: number[][]) {
  const s = await createSession(bytes);
  const input = s.inputNames[0]!;
  const out = await s.run({ [input]: new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, rows[0]!.length]) });
  await s.release();
  return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { shape: [...t.dims], data: Array.from(t.data as ArrayLike<number | bigint>, Number), int: t.type === 'int64' }]));
}

/** Every output: same names and shapes; floats within 1e-4 (relative above 1), ints (actions) equal. */
function expectSameOutputs(py: PyOutputs, ref: Awaited<ReturnType<typeof evalOrt>>) {
  expect(Object.keys(py).sort()).toEqual(Object.keys(ref).sort());
  let worst = 0;
  for (const [name, r] of Object.entries(ref)) {
    const p = py[name]!;
    expect(p.shape, `shape of ${name}`).toEqual(r.shape);
    if (r.int) expect(p.data, `${name} (int64)`).toEqual(r.data);
    else r.data.forEach((v, i) => (worst = Math.max(worst, Math.abs(p.data[i]! - v) / Math.max(1, Math.abs(v)))));
  }
  expect(worst).toBeLessThan(1e-4);
  return worst;
}

/** Expert episodes as a flat dataset. */
function expertData(envId: string, episodes: number, maxSteps: number) {
  const env = getEnv(envId);
  const obs: number[][] = [];
  const actions: (number | number[])[] = [];
  for (let ep = 0; ep < episodes; ep++) {
    let s = env.reset(ep);
    for (let t = 0; t < maxSteps; t++) {
      const a = env.expert(s);
      obs.push(Array.from(env.observe(s)));
      actions.push(typeof a === 'number' ? a : Array.from(a as ArrayLike<number>));
      const r = env.step(s, a);
      s = r.state;
      if (r.terminated) break;
    }
  }
  return { env, obs, actions };
}

/** States to evaluate on: some from the data and some far outside it (there box policies' means leave the box). */
const probeRows = (obs: number[][]) => [
  ...obs.filter((_, i) => i % 37 === 0).slice(0, 12),
  ...obs.slice(0, 4).map((o) => o.map((v, j) => 6 * v + (j % 2 ? -3 : 3))),
  // The corners of a big box: ReLU nets are linear far out, so some corners push the mean past each bound.
  ...Array.from({ length: 2 ** obs[0]!.length }, (_, k) => obs[0]!.map((_, j) => ((k >> j) & 1 ? 1000 : -1000))),
];

describe.skipIf(!python)('examples/external_client.py (pure Python) vs onnxruntime-node', () => {
  const cartpole = expertData('CartPole-v1', 4, 200);
  const pendulum = expertData('Pendulum-v1', 3, 100);
  const cases = [
    { label: 'categorical (CartPole)', data: cartpole, config: { hidden: [32, 32], epochs: 8 } },
    { label: 'categorical ensemble of 3, tanh (CartPole)', data: cartpole, config: { hidden: [16], epochs: 4, ensemble: 3, activation: 'tanh' as const } },
    { label: 'gaussian (Pendulum)', data: pendulum, config: { kind: 'gaussian' as const, hidden: [32], epochs: 8 }, clipsBoth: true },
    { label: 'mixture of 3 (Pendulum)', data: pendulum, config: { kind: 'mixture' as const, components: 3, hidden: [16, 16], epochs: 4 } },
    { label: 'gaussian ensemble of 2 (Pendulum)', data: pendulum, config: { kind: 'gaussian' as const, hidden: [16], epochs: 4, ensemble: 2 } },
  ];
  for (const c of cases) {
    it(`${c.label}: trained, exported, evaluated in Python = ORT (1e-4)`, async () => {
      const { env, obs, actions } = c.data;
      const trained = await trainPolicy({ obs: Float32Array.from(obs.flat()), obsDim: env.observationSpace.size, actions: actions as number[] | number[][], actionSpace: env.actionSpace, config: { patience: 0, ...c.config }, seed: 3 });
      const rows = probeRows(obs);
      const ref = await evalOrt(trained.onnx, rows);
      const worst = expectSameOutputs(evalPy(trained.onnx, rows), ref);
      if (env.actionSpace.kind === 'box') {
        // Far states must reach the box's bounds, so that the in-graph clipping (Max / Min) is compared too.
        const [lo, hi] = [Math.fround(env.actionSpace.low[0]!), Math.fround(env.actionSpace.high[0]!)];
        const at = ref.action!.data;
        expect(at.some((v) => v === lo) || at.some((v) => v === hi)).toBe(true);
        if (c.clipsBoth) expect([at.some((v) => v === lo), at.some((v) => v === hi)]).toEqual([true, true]);
      }
      console.log(`${c.label}: max relative difference ${worst.toExponential(2)}`);
    });
  }

  it('reads initializers stored in float_data / int64_data as well as in raw_data', async () => {
    const { env, obs, actions } = pendulum;
    const trained = await trainPolicy({ obs: Float32Array.from(obs.flat()), obsDim: 3, actions: actions as number[][], actionSpace: env.actionSpace, config: { kind: 'mixture', components: 2, hidden: [8], epochs: 2, patience: 0 }, seed: 5 });
    const model = decodeModel(trained.onnx);
    for (const t of model.graph!.initializer!) {
      const values = Array.from(tensorToArray(t) as ArrayLike<number | bigint>, Number);
      if (t.data_type === DataType.FLOAT) t.float_data = values;
      else if (t.data_type === DataType.INT64) t.int64_data = values;
      else throw new Error(`unexpected initializer type ${t.data_type}`);
      delete t.raw_data;
    }
    const typed = encodeModel(model);
    expect(decodeModel(typed).graph!.initializer!.every((t) => !t.raw_data?.length)).toBe(true);
    const rows = probeRows(obs);
    expectSameOutputs(evalPy(typed, rows), await evalOrt(typed, rows));
  });

  it('an imported PyTorch MLP (torch.onnx.export fixture): same logits, and Policy.act takes their argmax', async () => {
    const raw = new Uint8Array(readFileSync(path.join(here, '..', 'models', 'fixtures', 'torch_mlp_categorical.onnx')));
    const { bytes } = await importPolicy(raw, { observationSpace: getEnv('CartPole-v1').observationSpace, actionSpace: getEnv('CartPole-v1').actionSpace });
    const rows = probeRows(cartpole.obs);
    const ref = await evalOrt(bytes, rows);
    expectSameOutputs(evalPy(bytes, rows), ref);
    const file = path.join(tmp, 'imported.onnx');
    writeFileSync(file, bytes);
    const acts = pyModule(`p = c.Policy(open(${JSON.stringify(file)}, 'rb').read())\nprint(json.dumps([p.act(r) for r in ${JSON.stringify(rows)}]))`) as number[];
    const logits = ref.out!.data;
    expect(acts).toEqual(rows.map((_, i) => (logits[2 * i + 1]! > logits[2 * i]! ? 1 : 0)));
  });

  it('CartPole-v1 in Python follows envs/cartpole.ts: same start state for a seed, same trajectory', () => {
    const env = getEnv('CartPole-v1');
    // The scripted expert as the "policy" on the Python side (any deterministic rule works).
    const py = pyModule(
      `class Expert:\n    def act(self, o): return 1 if o[0] + 1.5 * o[1] + 18 * o[2] + 3 * o[3] > 0 else 0\n` +
        `class Left:\n    def act(self, o): return 0\n` +
        `print(json.dumps([c.rollout(Expert(), s, 300) for s in (0, 7, 123456)] + [c.rollout(Left(), 5, 300)]))`,
    ) as { observations: number[][]; actions: number[]; terminated: boolean; truncated: boolean; seed: number }[];
    for (const r of py) {
      let s = env.reset(r.seed);
      expect(r.observations.length).toBe(r.actions.length + 1);
      r.actions.forEach((a, t) => {
        const o = Array.from(env.observe(s));
        r.observations[t]!.forEach((v, j) => expect(Math.abs(v - o[j]!), `seed ${r.seed} t=${t} obs[${j}]`).toBeLessThan(1e-6));
        const step = env.step(s, a);
        expect(step.terminated, `seed ${r.seed} t=${t} terminated`).toBe(t === r.actions.length - 1 && r.terminated);
        s = step.state;
      });
    }
    // The expert balances to the step limit (truncated); always pushing left falls over early (terminated).
    expect(py.slice(0, 3).map((r) => [r.actions.length, r.truncated])).toEqual([[300, true], [300, true], [300, true]]);
    expect(py[3]!.terminated).toBe(true);
    expect(py[3]!.actions.length).toBeLessThan(50);
  });

  it('a Python rollout of a trained policy takes the action ORT takes at every step', async () => {
    const { env, obs, actions } = cartpole;
    const trained = await trainPolicy({ obs: Float32Array.from(obs.flat()), obsDim: 4, actions: actions as number[], actionSpace: env.actionSpace, config: { hidden: [32, 32], epochs: 10, patience: 0 }, seed: 1 });
    const file = path.join(tmp, 'cartpole.onnx');
    writeFileSync(file, trained.onnx);
    const r = pyModule(`p = c.Policy(open(${JSON.stringify(file)}, 'rb').read())\nprint(json.dumps(c.rollout(p, 42, 200)))`) as { observations: number[][]; actions: number[] };
    const policy = await loadPolicy(trained.onnx);
    const ortActions = [];
    for (const o of r.observations.slice(0, r.actions.length)) ortActions.push((await policy.actOne(o, { mode: 'deterministic' })).action);
    await policy.release();
    expect(r.actions.length).toBeGreaterThan(20);
    expect(r.actions).toEqual(ortActions);
  });

  it('refuses an operator it does not implement, naming it, and bad --obs', () => {
    const b = new GraphBuilder();
    b.output(b.sigmoid(b.input('obs', ['batch', 2])), 'y');
    const file = path.join(tmp, 'sigmoid.onnx');
    writeFileSync(file, b.encode());
    const r = runPy([SCRIPT, '--eval-onnx', file, '--obs', '[[0, 1]]']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/unsupported ONNX operator Sigmoid \(node 'Sigmoid_0'\)/);
    const wrongSize = runPy([SCRIPT, '--eval-onnx', file, '--obs', '[[0, 1, 2]]']);
    expect(wrongSize.status).toBe(1);
    expect(wrongSize.stderr).toMatch(/input obs: the model declares shape \[None, 2\].*got \[1, 3\]/);
    const notRows = runPy([SCRIPT, '--eval-onnx', file, '--obs', '[0, 1]']);
    expect(notRows.status).toBe(1);
    expect(notRows.stderr).toMatch(/--obs must be a JSON list of equally long observation rows/);
    writeFileSync(path.join(tmp, 'not-onnx.onnx'), 'hello, not a model');
    const garbage = runPy([SCRIPT, '--eval-onnx', path.join(tmp, 'not-onnx.onnx'), '--obs', '[[0]]']);
    expect(garbage.status).toBe(1);
    expect(garbage.stderr).toMatch(/not an ONNX model/);
  });
});

if (!python) it.skip('python3 is not on PATH: skipped the Python client tests', () => undefined);
