/**
 * Export: a trained policy (one or several members' flat parameter vectors) as a forward-only float32 ONNX
 * file with its weights as initializers and everything needed to use and audit it in metadata_props.
 *
 * Public API
 *   exportPolicy(args: ExportArgs) → Uint8Array
 *   readPolicyMetadata(bytes | model) → PolicyMetadata      parses and validates the metadata (zod)
 *   PolicyMetadataSchema, METADATA_KEYS, OUTPUT_NAMES
 *
 * Graph
 *   input   obs [batch, obsDim] float32 (raw; the normalisation is the first two nodes)
 *   outputs categorical  action int64 [batch], logits [batch, n]
 *           gaussian     action [batch, d], mean [batch, d], log_std [batch, d]
 *           mixture      action [batch, d], mix_logits [batch, K], means [batch, K, d], log_stds [batch, K, d]
 *   Ensembles of M members stack each distribution output on axis 1 ([batch, M, …]) and `action` is the
 *   combined action: argmax of the mean probabilities (categorical) or the mean of the members' actions.
 *   Continuous outputs are in env units (normalisation undone) and `action` is clipped to the box.
 *
 * metadata_props (all strings; JSON where structured): format, env_id, observation_space, action_space,
 * policy_class, ensemble, net, hyperparameters, round, dataset_hash, normalization, created_by.
 */
import { z } from 'zod';
import type { ActionSpace, BoxSpace } from '../envs/types';
import { GraphBuilder, type Value } from './graph';
import type { ActionScaling, ObsNormalizer } from './normalization';
import { decodeModel, metadataOf, type OnnxModel } from './onnx-proto';
import { buildDeterministic, buildHeads, type Heads, type NetShape, netLayout } from './policy-net';
import type { PolicyConfig } from './policy-spec';

export const FORMAT = 'dagger-studio-policy/1';

export const METADATA_KEYS = [
  'format',
  'env_id',
  'observation_space',
  'action_space',
  'policy_class',
  'ensemble',
  'net',
  'hyperparameters',
  'round',
  'dataset_hash',
  'normalization',
  'created_by',
] as const;

export const OUTPUT_NAMES = {
  categorical: ['action', 'logits'],
  gaussian: ['action', 'mean', 'log_std'],
  mixture: ['action', 'mix_logits', 'means', 'log_stds'],
} as const;

export interface ExportMeta {
  envId?: string | null;
  observationSpace?: BoxSpace | null;
  round?: number | null;
  datasetHash?: string | null;
  createdBy?: string;
  hyperparameters?: Partial<PolicyConfig> | Record<string, unknown>;
}

export interface ExportArgs {
  shape: NetShape;
  /** One flat parameter vector per ensemble member (netLayout(shape) order). */
  members: readonly Float32Array[];
  obsNorm: ObsNormalizer;
  actionSpace: ActionSpace;
  /** Box action scaling used in training (null for discrete). */
  actionScaling: ActionScaling | null;
  meta?: ExportMeta;
}

const FLOAT_MAX = 3.4028234663852886e38;

const BoxSchema = z.object({ kind: z.literal('box'), size: z.number().int().min(1), low: z.array(z.number().nullable()), high: z.array(z.number().nullable()), names: z.array(z.string()) });
const DiscreteSchema = z.object({ kind: z.literal('discrete'), n: z.number().int().min(1), names: z.array(z.string()), keys: z.array(z.string()) });

export const PolicyMetadataSchema = z.object({
  format: z.literal(FORMAT),
  envId: z.string().nullable(),
  observationSpace: BoxSchema.nullable(),
  actionSpace: z.union([BoxSchema, DiscreteSchema]),
  policyClass: z.enum(['categorical', 'gaussian', 'mixture']),
  ensemble: z.number().int().min(1),
  net: z.object({
    obsDim: z.number().int().min(1),
    actDim: z.number().int().min(1),
    hidden: z.array(z.number().int()),
    activation: z.enum(['relu', 'tanh']),
    components: z.number().int(),
  }),
  hyperparameters: z.record(z.string(), z.unknown()),
  round: z.number().int().nullable(),
  datasetHash: z.string().nullable(),
  normalization: z.object({
    obsMean: z.array(z.number()),
    obsStd: z.array(z.number()),
    actionCenter: z.array(z.number()).nullable(),
    actionScale: z.array(z.number()).nullable(),
  }),
  createdBy: z.string(),
});

export type PolicyMetadata = z.infer<typeof PolicyMetadataSchema>;

export class PolicyMetadataError extends Error {
  override name = 'PolicyMetadataError';
}

/** JSON with ±Infinity bounds as null (JSON has no Infinity). */
function spaceJson(space: ActionSpace | BoxSpace): string {
  return JSON.stringify(space, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
}

export function exportPolicy(args: ExportArgs): Uint8Array {
  const { shape: s, members, obsNorm, actionSpace } = args;
  const M = members.length;
  if (M < 1) throw new Error('exportPolicy: no members');
  const layout = netLayout(s);
  for (const p of members) if (p.length !== layout.size) throw new Error(`exportPolicy: parameter vector has ${p.length} values, the ${s.kind} network needs ${layout.size}`);
  if (obsNorm.mean.length !== s.obsDim || obsNorm.std.length !== s.obsDim) throw new Error(`exportPolicy: normaliser has ${obsNorm.mean.length} features, obsDim is ${s.obsDim}`);

  const b = new GraphBuilder({ dtype: 'float32' });
  const obs = b.input('obs', ['batch', s.obsDim]);
  const x = b.mul(b.sub(obs, b.const(obsNorm.mean, [s.obsDim])), b.const(obsNorm.std.map((v) => Math.fround(1 / v)), [s.obsDim]));

  const heads: Heads[] = members.map((flat, m) => {
    const prefix = M > 1 ? `m${m}.` : 'params.';
    const inits = new Map<string, Value>();
    const param = (name: string) => {
      const hit = inits.get(name);
      if (hit) return hit;
      const p = layout.params.find((q) => q.name === name);
      if (!p) throw new Error(`no parameter ${name}`);
      const v = b.initializer(prefix + name, p.shape, flat.slice(p.offset, p.offset + p.size));
      inits.set(name, v);
      return v;
    };
    return buildHeads(b, s, x, param);
  });

  const scaling = args.actionScaling;
  const d = s.actDim;
  const toEnvUnits = (v: Value) => (scaling ? b.add(b.mul(v, b.const(scaling.scale, [d])), b.const(scaling.center, [d])) : v);
  const logScale = scaling ? b.const(scaling.scale.map((q) => Math.log(q)), [d]) : null;
  const addLogScale = (v: Value) => (logScale ? b.add(v, logScale) : v);
  const clipToBox = (v: Value) => {
    if (actionSpace.kind !== 'box') return v;
    const lo = actionSpace.low.map((q) => (Number.isFinite(q) ? q : -FLOAT_MAX));
    const hi = actionSpace.high.map((q) => (Number.isFinite(q) ? q : FLOAT_MAX));
    return b.max([b.min([v, b.const(hi, [d])]), b.const(lo, [d])]);
  };
  const stack = (vs: Value[]) => (vs.length === 1 ? vs[0]! : b.concat(vs.map((v) => b.unsqueeze(v, [1])), 1));

  if (s.kind === 'categorical') {
    const logits = heads.map((h) => (h as Extract<Heads, { kind: 'categorical' }>).logits);
    const action = M === 1 ? buildDeterministic(b, s, heads[0]!) : b.argMax(b.reduceMean(b.softmax(stack(logits), 2), [1], false), 1, false);
    b.output(action, 'action');
    b.output(stack(logits), 'logits');
  } else if (s.kind === 'gaussian') {
    const g = heads as Extract<Heads, { kind: 'gaussian' }>[];
    const means = g.map((h) => toEnvUnits(h.mean));
    const logStds = g.map((h, i) => b.expandLike(addLogScale(h.logStd), means[i]!));
    const combined = M === 1 ? means[0]! : b.reduceMean(stack(means), [1], false);
    b.output(clipToBox(combined), 'action');
    b.output(stack(means), 'mean');
    b.output(stack(logStds), 'log_std');
  } else {
    const mx = heads as Extract<Heads, { kind: 'mixture' }>[];
    const acts = mx.map((h) => toEnvUnits(buildDeterministic(b, s, h)));
    const combined = M === 1 ? acts[0]! : b.reduceMean(stack(acts), [1], false);
    b.output(clipToBox(combined), 'action');
    b.output(stack(mx.map((h) => h.mixLogits)), 'mix_logits');
    b.output(stack(mx.map((h) => toEnvUnits(h.means))), 'means');
    b.output(stack(mx.map((h) => addLogScale(h.logStds))), 'log_stds');
  }

  const meta = args.meta ?? {};
  const metadata: Record<(typeof METADATA_KEYS)[number], string> = {
    format: FORMAT,
    env_id: meta.envId ?? '',
    observation_space: meta.observationSpace ? spaceJson(meta.observationSpace) : '',
    action_space: spaceJson(actionSpace),
    policy_class: s.kind,
    ensemble: String(M),
    net: JSON.stringify({ obsDim: s.obsDim, actDim: s.actDim, hidden: s.hidden, activation: s.activation, components: s.kind === 'mixture' ? s.components : 1 }),
    hyperparameters: JSON.stringify(meta.hyperparameters ?? {}),
    round: meta.round === undefined || meta.round === null ? '' : String(meta.round),
    dataset_hash: meta.datasetHash ?? '',
    normalization: JSON.stringify({ obsMean: obsNorm.mean, obsStd: obsNorm.std, actionCenter: scaling?.center ?? null, actionScale: scaling?.scale ?? null }),
    created_by: meta.createdBy ?? 'dagger-studio',
  };
  return b.encode({ metadata, graphName: `policy_${s.kind}${M > 1 ? `_ensemble${M}` : ''}`, docString: `DAgger Studio ${s.kind} policy` });
}

/** Parses this project's policy metadata from ONNX bytes (or a decoded model). */
export function readPolicyMetadata(model: Uint8Array | OnnxModel): PolicyMetadata {
  const m = metadataOf(model instanceof Uint8Array ? decodeModel(model) : model);
  if (m.format !== FORMAT) throw new PolicyMetadataError(`not a DAgger Studio policy: metadata_props format is ${m.format === undefined ? 'missing' : JSON.stringify(m.format)}, expected ${FORMAT}`);
  const json = (key: string) => {
    const v = m[key];
    if (v === undefined || v === '') return null;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      throw new PolicyMetadataError(`metadata ${key} is not valid JSON`);
    }
  };
  const raw = {
    format: m.format,
    envId: m.env_id ? m.env_id : null,
    observationSpace: json('observation_space'),
    actionSpace: json('action_space'),
    policyClass: m.policy_class,
    ensemble: Number(m.ensemble ?? 1),
    net: json('net'),
    hyperparameters: json('hyperparameters') ?? {},
    round: m.round ? Number(m.round) : null,
    datasetHash: m.dataset_hash ? m.dataset_hash : null,
    normalization: json('normalization'),
    createdBy: m.created_by ?? '',
  };
  const parsed = PolicyMetadataSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new PolicyMetadataError(`invalid policy metadata: ${i ? `${i.path.join('.')}: ${i.message}` : parsed.error.message}`);
  }
  return parsed.data;
}

/** Box bounds from metadata JSON (null = unbounded) back to numbers. */
export function boxBounds(space: { low: (number | null)[]; high: (number | null)[] }): { low: number[]; high: number[] } {
  return { low: space.low.map((v) => v ?? -Infinity), high: space.high.map((v) => v ?? Infinity) };
}
