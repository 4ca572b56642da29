/**
 * Import: bring an externally trained policy (e.g. `torch.onnx.export` of an MLP) into the project after
 * checking it against an environment's spaces.
 *
 * Public API
 *   validateExternalPolicy(bytes, spaces) → Promise<ImportReport>     throws PolicyImportError
 *   importPolicy(bytes, spaces, meta?) → Promise<{ bytes, report }>   the same bytes + metadata_props
 *   readExternalMetadata(model) → ExternalMetadata                    (used by infer.ts)
 *   EXTERNAL_FORMAT, PolicyImportError
 *
 * Accepted models: one float32 input [batch, obsDim] and a float32 first output [batch, n] of logits
 * (discrete action spaces) or [batch, actDim] of actions / means (box spaces), with a symbolic batch dim;
 * only standard ONNX operator domains ('' / ai.onnx / ai.onnx.ml). Errors name the expected and found shapes,
 * or the offending op and its domain. Finally the model is loaded and run by onnxruntime on batches of 1 and 3
 * states, which catches unknown ops, fixed batch sizes and shape mistakes the declared types hide.
 *
 * The imported file keeps every original byte: the metadata is appended as extra `metadata_props` records
 * (protobuf repeated fields may be split), so nothing our proto subset does not model is lost.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ActionSpace, BoxSpace } from '../envs/types';
import { appendMetadata, DataType, decodeModel, metadataOf, type OnnxGraph, type OnnxModel, type OnnxValueInfo, OnnxFormatError } from './onnx-proto';
import { createSession, ort } from './ort';

export const EXTERNAL_FORMAT = 'dagger-studio-external/1';

const STANDARD_DOMAINS = new Set(['', 'ai.onnx', 'ai.onnx.ml']);

export class PolicyImportError extends Error {
  override name = 'PolicyImportError';
}

export interface ImportSpaces {
  /** The env's observation space (or just its size). */
  observationSpace: BoxSpace | { size: number };
  actionSpace: ActionSpace;
}

export interface ImportReport {
  kind: 'categorical' | 'deterministic';
  input: { name: string; shape: (number | string)[] };
  output: { name: string; shape: (number | string)[] };
  irVersion: number;
  opsets: { domain: string; version: number }[];
  producer: string;
  nodes: number;
  ops: string[];
  sha256: string;
}

const DTYPE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(DataType).map(([k, v]) => [v, k.toLowerCase()]));

function shapeOf(v: OnnxValueInfo): (number | string)[] | null {
  const t = v.type?.tensor_type;
  if (!t) return null;
  if (!t.shape) return null;
  return (t.shape.dim ?? []).map((d) => (d.dim_value !== undefined ? Number(d.dim_value) : d.dim_param !== undefined && d.dim_param !== '' ? d.dim_param : '?'));
}

const fmt = (s: readonly (number | string)[]) => `[${s.join(', ')}]`;

/** Every node of the graph and its subgraphs (If / Loop / Scan bodies). */
function* allNodes(g: OnnxGraph): Generator<{ op: string; domain: string; name: string }> {
  for (const n of g.node ?? []) {
    yield { op: n.op_type ?? '', domain: n.domain ?? '', name: n.name ?? '' };
    for (const a of n.attribute ?? []) {
      if (a.g) yield* allNodes(a.g);
    }
  }
}

function checkTensorValue(what: string, v: OnnxValueInfo, expected: (number | string)[]): (number | string)[] {
  const t = v.type?.tensor_type;
  if (!t) throw new PolicyImportError(`${what} '${v.name}' is not a tensor (sequence/map/optional types are not supported); expected float32 ${fmt(expected)}`);
  if (t.elem_type !== DataType.FLOAT) {
    throw new PolicyImportError(`${what} '${v.name}' has element type ${DTYPE_NAMES[t.elem_type ?? 0] ?? t.elem_type}, expected float32 ${fmt(expected)}`);
  }
  const shape = shapeOf(v);
  if (!shape) return expected; // no declared shape: the ORT run below checks it
  const want = expected[1] as number;
  if (shape.length !== 2 || (typeof shape[1] === 'number' && shape[1] !== want)) {
    throw new PolicyImportError(`${what} '${v.name}' has shape ${fmt(shape)}, expected ${fmt(expected)}`);
  }
  if (typeof shape[0] === 'number') {
    throw new PolicyImportError(
      `${what} '${v.name}' has a fixed batch size: shape ${fmt(shape)}, expected ${fmt(expected)} with a symbolic batch dim (torch.onnx.export(..., dynamic_axes={'${v.name}': {0: 'batch'}}))`,
    );
  }
  return shape;
}

export async function validateExternalPolicy(bytes: Uint8Array, spaces: ImportSpaces): Promise<ImportReport> {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw new PolicyImportError('not an ONNX model: the file is empty');
  let model: OnnxModel;
  try {
    model = decodeModel(bytes);
  } catch (e) {
    throw new PolicyImportError(e instanceof OnnxFormatError ? e.message : `not an ONNX model: ${(e as Error).message}`);
  }
  const g = model.graph!;
  if (!g.node || g.node.length === 0) throw new PolicyImportError('not a usable ONNX model: the graph has no nodes');

  const ops = new Set<string>();
  for (const n of allNodes(g)) {
    if (!STANDARD_DOMAINS.has(n.domain)) {
      throw new PolicyImportError(`node '${n.name || n.op}' uses the custom operator ${n.domain}::${n.op}; only standard ONNX operators (domains '', ai.onnx, ai.onnx.ml) are accepted`);
    }
    ops.add(n.op);
  }

  const obsDim = spaces.observationSpace.size;
  const space = spaces.actionSpace;
  const outDim = space.kind === 'discrete' ? space.n : space.size;
  const initNames = new Set((g.initializer ?? []).map((t) => t.name));
  const inputs = (g.input ?? []).filter((i) => !initNames.has(i.name));
  if (inputs.length !== 1) {
    throw new PolicyImportError(`expected exactly one input (observations, float32 [batch, ${obsDim}]), found ${inputs.length}: ${inputs.map((i) => `'${i.name}'`).join(', ') || 'none'}`);
  }
  const input = inputs[0]!;
  const inShape = checkTensorValue('input', input, ['batch', obsDim]);
  const output = (g.output ?? [])[0];
  if (!output) throw new PolicyImportError('the model has no outputs');
  const what = space.kind === 'discrete' ? `logits for ${space.n} actions` : `actions of ${space.size} dims`;
  const outExpected: (number | string)[] = ['batch', outDim];
  let outShape: (number | string)[];
  try {
    outShape = checkTensorValue('output', output, outExpected);
  } catch (e) {
    throw new PolicyImportError(`${(e as Error).message} (${what})`);
  }

  // Run it: unknown ops, broken graphs and shapes the declarations do not show surface here.
  let session: ort.InferenceSession;
  try {
    session = await createSession(bytes);
  } catch (e) {
    throw new PolicyImportError(`onnxruntime cannot load the model: ${(e as Error).message.split('\n')[0]}`);
  }
  try {
    for (const n of [1, 3]) {
      const x = new Float32Array(n * obsDim).map((_, i) => ((i * 7919) % 13) / 13 - 0.5);
      let out: ort.InferenceSession.ReturnType;
      try {
        out = await session.run({ [input.name!]: new ort.Tensor('float32', x, [n, obsDim]) });
      } catch (e) {
        throw new PolicyImportError(`running the model on a batch of ${n} × ${obsDim} observations failed: ${(e as Error).message.split('\n')[0]}`);
      }
      const y = out[output.name!]!;
      if (y.type !== 'float32' || y.dims.length !== 2 || y.dims[0] !== n || y.dims[1] !== outDim) {
        throw new PolicyImportError(`for a batch of ${n} the output '${output.name}' is ${y.type} ${fmt([...y.dims])}, expected float32 ${fmt([n, outDim])} (${what})`);
      }
      const data = y.data as Float32Array;
      if (!data.every(Number.isFinite)) throw new PolicyImportError(`the output '${output.name}' contains NaN or Infinity for finite observations`);
    }
  } finally {
    await session.release();
  }

  return {
    kind: space.kind === 'discrete' ? 'categorical' : 'deterministic',
    input: { name: input.name!, shape: inShape },
    output: { name: output.name!, shape: outShape },
    irVersion: model.ir_version ?? 0,
    opsets: (model.opset_import ?? []).map((o) => ({ domain: o.domain ?? '', version: Number(o.version ?? 0) })),
    producer: [model.producer_name, model.producer_version].filter(Boolean).join(' '),
    nodes: g.node.length,
    ops: [...ops].sort(),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

export interface ImportMeta {
  envId?: string | null;
  createdBy?: string;
}

const jsonSpace = (s: unknown) => JSON.stringify(s, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));

/** Validates, then returns the original bytes with this project's external-policy metadata appended. */
export async function importPolicy(bytes: Uint8Array, spaces: ImportSpaces, meta: ImportMeta = {}): Promise<{ bytes: Uint8Array; report: ImportReport }> {
  const report = await validateExternalPolicy(bytes, spaces);
  const out = appendMetadata(bytes, {
    format: EXTERNAL_FORMAT,
    env_id: meta.envId ?? '',
    observation_space: jsonSpace(spaces.observationSpace),
    action_space: jsonSpace(spaces.actionSpace),
    policy_class: report.kind,
    io: JSON.stringify({ input: report.input.name, output: report.output.name }),
    source_sha256: report.sha256,
    created_by: meta.createdBy ?? 'import',
  });
  return { bytes: out, report };
}

const ExternalSchema = z.object({
  kind: z.enum(['categorical', 'deterministic']),
  obsDim: z.number().int().min(1),
  actionSpace: z.union([
    z.object({ kind: z.literal('discrete'), n: z.number().int().min(1), names: z.array(z.string()), keys: z.array(z.string()) }),
    z.object({ kind: z.literal('box'), size: z.number().int().min(1), low: z.array(z.number().nullable()), high: z.array(z.number().nullable()), names: z.array(z.string()) }),
  ]),
  input: z.string(),
  output: z.string(),
  envId: z.string().nullable(),
});

export interface ExternalMetadata {
  kind: 'categorical' | 'deterministic';
  obsDim: number;
  actionSpace: ActionSpace;
  input: string;
  output: string;
  envId: string | null;
}

export function readExternalMetadata(model: OnnxModel): ExternalMetadata {
  const m = metadataOf(model);
  if (m.format !== EXTERNAL_FORMAT) throw new PolicyImportError(`not an imported policy (metadata format ${m.format ?? 'missing'})`);
  let parsed: z.infer<typeof ExternalSchema>;
  try {
    const io = JSON.parse(m.io ?? '{}') as { input?: string; output?: string };
    const obs = JSON.parse(m.observation_space ?? '{}') as { size?: number };
    parsed = ExternalSchema.parse({ kind: m.policy_class, obsDim: obs.size, actionSpace: JSON.parse(m.action_space ?? 'null'), input: io.input, output: io.output, envId: m.env_id || null });
  } catch (e) {
    throw new PolicyImportError(`invalid imported-policy metadata: ${(e as Error).message}`);
  }
  const sp = parsed.actionSpace;
  const actionSpace: ActionSpace = sp.kind === 'box' ? { ...sp, low: sp.low.map((v) => v ?? -Infinity), high: sp.high.map((v) => v ?? Infinity) } : sp;
  return { ...parsed, actionSpace };
}
