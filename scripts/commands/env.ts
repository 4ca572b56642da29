/** `cli env`: list the environments, replay an action sequence, or score the scripted expert. */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ENV_IDS, getEnv, listEnvs } from '../../envs/registry';
import { parseReplayCase, replay } from '../../envs/replay';
import { runExpert } from '../../envs/run-expert';

const HELP = `Usage: npm run cli -- env <command> [options]

Commands:
  list                                     JSON description of every environment (spaces, horizon, threshold, dt)
  replay --env ID --case FILE              replay FILE = {"initial_state": [...], "actions": [...]}
                                           or {"seed": n, "actions": [...]} (LaneFollow-v0, LunarLander-v3);
                                           prints {"observations", "rewards", "terminated", "states"} in the
                                           layout of the reference files
  expert --env ID --episodes N --seed S    run the scripted expert for N episodes (seeds S, S+1, …); prints
                                           {"env", "episodes", "return_mean", "return_std", "success_rate"}

Environments: ${ENV_IDS.join(', ')}`;

/** A usage error: the CLI prints its message on one line and exits with code 2. */
class UsageError extends Error {
  readonly exitCode = 2;
}

function integer(name: string, raw: string | undefined, min: number): number {
  if (raw === undefined) throw new UsageError(`--${name} is required`);
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(v) || v < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${raw}"`);
  return v;
}

export async function run(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        env: { type: 'string' },
        case: { type: 'string' },
        episodes: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0]} (see env --help)`);
  }
  const { positionals, values } = parsed;
  const [command, ...extra] = positionals;
  if (values.help || command === undefined || command === 'help') return void console.log(HELP);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}" (see env --help)`);

  if (command === 'list') return void console.log(JSON.stringify(listEnvs(), null, 2));
  if (command !== 'replay' && command !== 'expert') throw new UsageError(`unknown env command "${command}" (list, replay, expert)`);
  if (!values.env) throw new UsageError(`--env ID is required (one of ${ENV_IDS.join(', ')})`);
  if (!ENV_IDS.includes(values.env)) throw new UsageError(`unknown environment "${values.env}" (one of ${ENV_IDS.join(', ')})`);
  const env = getEnv(values.env);

  if (command === 'expert') {
    const episodes = integer('episodes', values.episodes, 1);
    const seed = integer('seed', values.seed, 0);
    const r = runExpert(env, episodes, seed);
    return void console.log(JSON.stringify({ env: env.id, episodes, return_mean: r.returnMean, return_std: r.returnStd, success_rate: r.successRate }));
  }

  if (!values.case) throw new UsageError('--case FILE is required');
  let text: string;
  try {
    text = fs.readFileSync(values.case, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read --case ${values.case}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--case ${values.case} is not valid JSON: ${(e as Error).message}`);
  }
  try {
    console.log(JSON.stringify(replay(env, parseReplayCase(json))));
  } catch (e) {
    // EnvInputError and friends: bad input, reported as a usage error (one line, exit code 2).
    throw new UsageError(`${values.case}: ${(e as Error).message}`);
  }
}
