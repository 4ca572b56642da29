/**
 * `cli train`: behaviour cloning from a JSONL dataset into the content-addressed policy registry.
 * Prints one JSON object per epoch, then {"model": path, "sha256": …, "metrics": …}.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { getEnv } from '../../envs/registry';
import type { ActionSpace } from '../../envs/types';
import { POLICY_KINDS, type PolicyConfigInput } from '../../models/policy-spec';
import { PolicyRegistry } from '../../models/registry';
import { trainPolicy } from '../../models/train';

const HELP = `Usage: npm run cli -- train --env ID --data FILE.jsonl --out DIR [options]

Trains a policy by behaviour cloning and stores it as DIR/<sha256>.onnx (never overwritten).

  --env ID                environment id (its observation / action spaces; stored in the policy)
  --data FILE.jsonl       one {"obs": [numbers], "action": index | [numbers]} per line
  --out DIR               policy registry directory
  --policy KIND           categorical | gaussian | mixture (default: from the action space)
  --ensemble N            bootstrap ensemble members (1)
  --epochs N              maximum epochs (200)
  --patience N            early stopping patience in epochs, 0 = off (20)
  --hidden 64,64          hidden layer sizes
  --activation relu|tanh  (relu)
  --components K          mixture components (5)
  --lr X                  AdamW learning rate (0.001)
  --batch-size N          (64)
  --val-fraction X        held-out fraction for early stopping (0.1)
  --weight-decay X        (0.0001)
  --clip-norm X           global gradient-norm clip, 0 = off (1)
  --seed S                (0)
  --threads N             ONNX Runtime intra-op threads (1)
  --round N               DAgger round recorded in the policy metadata
  -h, --help

Output: one JSON line per epoch {"member","epoch","trainLoss","valLoss","valAccuracy"|"valMse",…},
then {"model": "DIR/<sha256>.onnx", "sha256": …, "metrics": …}.`;

const num = (name: string, v: string | undefined, int = false): number | undefined => {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x) || (int && !Number.isInteger(x))) throw new Error(`--${name}: expected ${int ? 'an integer' : 'a number'}, got ${JSON.stringify(v)}`);
  return x;
};

/** Reads and checks the JSONL dataset against the env's spaces; errors name FILE:LINE. */
export async function readDataset(file: string, obsDim: number, space: ActionSpace): Promise<{ obs: Float32Array; actions: number[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`--data: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const action = space.kind === 'discrete' ? z.number().int().min(0).max(space.n - 1) : z.array(z.number()).length(space.size);
  const Row = z.object({ obs: z.array(z.number()).length(obsDim), action });
  const obs: number[] = [];
  const actions: number[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new Error(`${file}:${i + 1}: not valid JSON`);
    }
    const r = Row.safeParse(json);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new Error(`${file}:${i + 1}: ${issue.path.join('.') || 'row'}: ${issue.message} (expected {"obs": ${obsDim} numbers, "action": ${space.kind === 'discrete' ? `an integer in [0, ${space.n - 1}]` : `${space.size} numbers`}})`);
    }
    obs.push(...r.data.obs);
    if (typeof r.data.action === 'number') actions.push(r.data.action);
    else actions.push(...r.data.action);
  });
  if (actions.length === 0) throw new Error(`${file}: no rows (the dataset is empty)`);
  return { obs: Float32Array.from(obs), actions };
}

export async function run(argv: string[]): Promise<void> {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      env: { type: 'string' },
      data: { type: 'string' },
      out: { type: 'string' },
      policy: { type: 'string' },
      ensemble: { type: 'string' },
      epochs: { type: 'string' },
      patience: { type: 'string' },
      hidden: { type: 'string' },
      activation: { type: 'string' },
      components: { type: 'string' },
      lr: { type: 'string' },
      'batch-size': { type: 'string' },
      'val-fraction': { type: 'string' },
      'weight-decay': { type: 'string' },
      'clip-norm': { type: 'string' },
      seed: { type: 'string' },
      threads: { type: 'string' },
      round: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (v.help) return void console.log(HELP);
  if (!v.env) throw new Error('--env is required (see --help)');
  if (!v.data) throw new Error('--data is required (see --help)');
  if (!v.out) throw new Error('--out is required (see --help)');
  if (v.policy !== undefined && !(POLICY_KINDS as readonly string[]).includes(v.policy)) throw new Error(`--policy: expected one of ${POLICY_KINDS.join(', ')}, got ${JSON.stringify(v.policy)}`);
  if (v.activation !== undefined && v.activation !== 'relu' && v.activation !== 'tanh') throw new Error(`--activation: expected relu or tanh, got ${JSON.stringify(v.activation)}`);

  const env = getEnv(v.env);
  const obsDim = env.observationSpace.size;
  const { obs, actions } = await readDataset(v.data, obsDim, env.actionSpace);

  const config: PolicyConfigInput = {
    ...(v.policy ? { kind: v.policy as PolicyConfigInput['kind'] } : {}),
    ...(v.hidden ? { hidden: v.hidden.split(',').map((h) => num('hidden', h.trim(), true)!) } : {}),
    ...(v.activation ? { activation: v.activation as 'relu' | 'tanh' } : {}),
  };
  const numeric: [keyof PolicyConfigInput, string, string | undefined, boolean][] = [
    ['ensemble', 'ensemble', v.ensemble, true],
    ['epochs', 'epochs', v.epochs, true],
    ['patience', 'patience', v.patience, true],
    ['components', 'components', v.components, true],
    ['lr', 'lr', v.lr, false],
    ['batchSize', 'batch-size', v['batch-size'], true],
    ['valFraction', 'val-fraction', v['val-fraction'], false],
    ['weightDecay', 'weight-decay', v['weight-decay'], false],
    ['clipNorm', 'clip-norm', v['clip-norm'], false],
  ];
  for (const [key, flag, raw, int] of numeric) {
    const x = num(flag, raw, int);
    if (x !== undefined) (config as Record<string, unknown>)[key] = x;
  }
  const seed = num('seed', v.seed, true) ?? 0;
  const threads = num('threads', v.threads, true) ?? 1;
  const round = num('round', v.round, true);

  const result = await trainPolicy({
    obs,
    obsDim,
    actions,
    actionSpace: env.actionSpace,
    config,
    seed,
    session: { threads },
    meta: { envId: env.id, observationSpace: env.observationSpace, round: round ?? null, createdBy: 'cli train' },
    onProgress: (e) => console.log(JSON.stringify(e)),
  });
  const stored = await new PolicyRegistry(v.out).put(result.onnx);
  console.log(JSON.stringify({ model: stored.path, sha256: stored.sha256, created: stored.created, datasetHash: result.datasetHash, metrics: result.metrics }));
}
