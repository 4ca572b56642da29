/**
 * `cli policy`: evaluate, inspect or import policy files.
 *
 *   policy eval --env ID --model FILE --episodes N --seed S [--mode deterministic|sample]
 *       Runs N episodes (episode e starts from env.reset(S + e)), all stepping together so the policy runs
 *       once per step on a batch; prints {"return_mean", "return_std", "success_rate", "length_mean", …}.
 *   policy info --model FILE
 *   policy import --env ID --file FILE.onnx --out DIR
 *       Validates an externally trained ONNX policy against the env's spaces, stores it as DIR/<sha256>.onnx.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { getEnv } from '../../envs/registry';
import { importPolicy } from '../../models/import';
import { evaluatePolicy } from '../../models/evaluate';
import { loadPolicy } from '../../models/infer';
import { PolicyRegistry } from '../../models/registry';

const HELP = `Usage: npm run cli -- policy <eval|info|import> [options]

  policy eval --env ID --model FILE --episodes N --seed S [--mode deterministic|sample]
      Episode e starts from env.reset(S + e); prints
      {"return_mean", "return_std", "success_rate", "length_mean", "episodes", "mode"}.
  policy info --model FILE
      Prints the policy's metadata (class, spaces, hyper-parameters, dataset hash, …).
  policy import --env ID --file FILE.onnx --out DIR
      Checks an externally trained ONNX model (input [batch, obsDim] float32; output [batch, n] logits or
      [batch, actDim] actions; standard ops only) and stores it as DIR/<sha256>.onnx.`;

const int = (name: string, v: string | undefined, dflt?: number): number => {
  if (v === undefined) {
    if (dflt === undefined) throw new Error(`--${name} is required (see --help)`);
    return dflt;
  }
  const x = Number(v);
  if (!Number.isInteger(x)) throw new Error(`--${name}: expected an integer, got ${JSON.stringify(v)}`);
  return x;
};

export async function run(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help') return void console.log(HELP);
  const { values: v } = parseArgs({
    args: rest,
    options: {
      env: { type: 'string' },
      model: { type: 'string' },
      file: { type: 'string' },
      out: { type: 'string' },
      episodes: { type: 'string' },
      seed: { type: 'string' },
      mode: { type: 'string' },
      threads: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (v.help) return void console.log(HELP);

  if (sub === 'eval') {
    if (!v.env) throw new Error('--env is required (see --help)');
    if (!v.model) throw new Error('--model is required (see --help)');
    const episodes = int('episodes', v.episodes, 10);
    if (episodes < 1) throw new Error('--episodes must be at least 1');
    const mode = v.mode ?? 'deterministic';
    if (mode !== 'deterministic' && mode !== 'sample') throw new Error(`--mode: expected deterministic or sample, got ${JSON.stringify(mode)}`);
    const env = getEnv(v.env);
    const policy = await loadPolicy(v.model, { session: { threads: int('threads', v.threads, 1) } });
    try {
      if (policy.metadata?.envId && policy.metadata.envId !== env.id) console.error(`warning: the policy was trained on ${policy.metadata.envId}, evaluating on ${env.id}`);
      console.log(JSON.stringify(await evaluatePolicy(env, policy, { episodes, seed: int('seed', v.seed, 0), mode })));
    } finally {
      await policy.release();
    }
    return;
  }
  if (sub === 'info') {
    if (!v.model) throw new Error('--model is required (see --help)');
    const policy = await loadPolicy(v.model);
    console.log(JSON.stringify({ sha256: policy.sha256, kind: policy.kind, obsDim: policy.obsDim, ensemble: policy.ensemble, external: policy.external, actionSpace: policy.actionSpace, metadata: policy.metadata }, null, 2));
    await policy.release();
    return;
  }
  if (sub === 'import') {
    if (!v.env) throw new Error('--env is required (see --help)');
    if (!v.file) throw new Error('--file is required (see --help)');
    if (!v.out) throw new Error('--out is required (see --help)');
    const env = getEnv(v.env);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(v.file));
    } catch (e) {
      throw new Error(`--file: cannot read ${v.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const { bytes: imported, report } = await importPolicy(bytes, { observationSpace: env.observationSpace, actionSpace: env.actionSpace }, { envId: env.id, createdBy: 'cli policy import' });
    const stored = await new PolicyRegistry(v.out).put(imported);
    console.log(JSON.stringify({ model: stored.path, sha256: stored.sha256, report }));
    return;
  }
  throw new Error(`unknown policy subcommand ${JSON.stringify(sub)}: expected eval, info or import (see --help)`);
}
