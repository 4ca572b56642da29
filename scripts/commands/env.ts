/** `cli env`: list the environments, replay an action sequence, or score the scripted expert. */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { getEnv, listEnvs } from '../../envs/registry';
import { runExpert } from '../../envs/run-expert';

const HELP = `Usage:
  npm run cli -- env list
  npm run cli -- env replay --env ID --case FILE     FILE: {"initial_state": [...], "actions": [...]} or {"seed": n, "actions": [...]}
  npm run cli -- env expert --env ID --episodes N --seed S`;

export async function run(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { env: { type: 'string' }, case: { type: 'string' }, episodes: { type: 'string', default: '100' }, seed: { type: 'string', default: '0' }, help: { type: 'boolean', short: 'h' } },
  });
  const sub = positionals[0];
  if (values.help || !sub) return void console.log(HELP);
  if (sub === 'list') return void console.log(JSON.stringify(listEnvs(), null, 2));
  if (!values.env) throw new Error('--env ID is required');
  const env = getEnv(values.env);
  if (sub === 'expert') {
    const episodes = Number(values.episodes);
    const seed = Number(values.seed);
    if (!Number.isInteger(episodes) || episodes < 1) throw new Error(`--episodes must be a positive integer (got ${values.episodes})`);
    if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer (got ${values.seed})`);
    const r = runExpert(env, episodes, seed);
    return void console.log(JSON.stringify({ env: env.id, episodes, return_mean: r.returnMean, return_std: r.returnStd, success_rate: r.successRate }));
  }
  if (sub === 'replay') {
    if (!values.case) throw new Error('--case FILE is required');
    let c: { initial_state?: unknown; seed?: number; actions?: unknown[] };
    try {
      c = JSON.parse(fs.readFileSync(values.case, 'utf8'));
    } catch (e) {
      throw new Error(`--case ${values.case}: ${(e as Error).message}`);
    }
    if (!Array.isArray(c.actions)) throw new Error('the case needs an "actions" array');
    const fromSeed = c.initial_state === undefined;
    if (fromSeed && typeof c.seed !== 'number') throw new Error('the case needs "initial_state" or "seed"');
    let s = fromSeed ? env.reset(c.seed!) : env.parseState(c.initial_state);
    const out = { observations: [] as number[][], rewards: [] as number[], terminated: [] as boolean[], states: [] as unknown[] };
    const box = env.actionSpace.kind === 'box';
    for (const a of c.actions) {
      // LaneFollow's reference layout gives the observation before each action; Gymnasium's the one after.
      if (fromSeed) out.observations.push(Array.from(env.observe(s)));
      const r = env.step(s, box && typeof a === 'number' ? [a] : (a as number));
      s = r.state;
      if (!fromSeed) out.observations.push(Array.from(env.observe(s)));
      out.rewards.push(r.reward);
      out.terminated.push(r.terminated);
      out.states.push(Array.isArray(s) && env.id === 'LaneFollow-v0' ? (s as number[]).slice(0, 4) : s);
    }
    return void console.log(JSON.stringify(out));
  }
  throw new Error(`unknown env command "${sub}" (list, replay, expert)`);
}
