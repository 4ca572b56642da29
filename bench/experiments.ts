/**
 * `npm run bench:experiments`: the acceptance experiments of the DAgger engine, through the real CLI.
 *  - LaneFollow-v0, 800 labels (1 expert episode ≈ 400, then 4 rounds × the first 100 learner states),
 *    DAgger vs behaviour cloning with the same 800 expert labels, 5 seeds, 30 unseen evaluation tracks.
 *  - CartPole-v1 from 1 expert episode, 3 DAgger rounds, 5 seeds.
 * Prints the per-seed final rounds and a summary table.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const SEEDS = (process.env.SEEDS ?? '0,1,2,3,4').split(',').map(Number);

function experiment(args: string[]): Record<string, number | string>[] {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'cli.ts'), 'experiment', ...args, '--json'], { cwd: root, encoding: 'utf8' });
  return out.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
const fmt = (xs: number[], d = 3) => `${mean(xs).toFixed(d)} ± ${std(xs).toFixed(d)}`;

function table(title: string, runs: { label: string; args: string[] }[]) {
  console.log(`\n### ${title}\n`);
  const rows: string[] = [];
  for (const run of runs) {
    const finals = SEEDS.map((seed) => {
      const rounds = experiment([...run.args, '--seed', String(seed)]);
      const last = rounds.at(-1)!;
      console.log(`${run.label} seed ${seed}: ${JSON.stringify(last)}`);
      return last;
    });
    const num = (k: string) => finals.map((f) => Number(f[k]));
    rows.push(`| ${run.label} | ${mean(num('labels_total')).toFixed(0)} | ${fmt(num('success_rate'))} | ${fmt(num('return_mean'), 1)} | ${fmt(num('expert_agreement'))} | ${mean(finals.map((f) => Number((f.seconds as unknown as { total: number }).total))).toFixed(2)} |`);
  }
  console.log(`\n| algorithm | labels | success rate (mean ± std over seeds) | return | expert agreement | seconds in the last round |`);
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

table('LaneFollow-v0, 800 expert labels, 30 unseen tracks', [
  { label: 'DAgger', args: ['--env', 'LaneFollow-v0', '--algo', 'dagger', '--rounds', '4', '--demo-episodes', '1', '--labels-per-round', '100', '--selection', 'first:100', '--eval-episodes', '30'] },
  { label: 'behaviour cloning', args: ['--env', 'LaneFollow-v0', '--algo', 'bc', '--rounds', '4', '--demo-episodes', '1', '--labels-per-round', '100', '--eval-episodes', '30'] },
]);
table('CartPole-v1, 1 expert episode then 3 DAgger rounds of 200 states', [
  { label: 'DAgger', args: ['--env', 'CartPole-v1', '--algo', 'dagger', '--rounds', '3', '--demo-episodes', '1', '--labels-per-round', '200', '--selection', 'all', '--eval-episodes', '30'] },
]);
