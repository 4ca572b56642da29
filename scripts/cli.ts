/**
 * `npm run cli -- <command> [options]`: the command-line entry. Each command group lives in
 * scripts/commands/<group>.ts and exports `run(argv)`; errors print one line and exit with code 2.
 */
const COMMANDS: Record<string, { file: string; summary: string }> = {
  env: { file: './commands/env.ts', summary: 'env list | replay --env ID --case FILE | expert --env ID --episodes N --seed S' },
  train: { file: './commands/train.ts', summary: 'train --env ID --data FILE.jsonl --policy categorical|gaussian|mixture [--ensemble N] --out DIR' },
  policy: { file: './commands/policy.ts', summary: 'policy eval --env ID --model FILE --episodes N --seed S' },
  experiment: {
    file: './commands/experiment.ts',
    summary: 'experiment --env ID --algo dagger|bc --rounds R --demo-episodes E --labels-per-round K --selection S --labeler oracle[:err] --seed S --json',
  },
  backup: { file: './commands/backup.ts', summary: 'backup --out FILE   (consistent online copy of the database)' },
  restore: { file: './commands/restore.ts', summary: 'restore --from FILE (checks, then replaces the database; server stopped)' },
  user: { file: './commands/user.ts', summary: 'user create --email E --password P --role admin|researcher|labeler' },
};

function help(): void {
  console.log('Usage: npm run cli -- <command> [options]\n\nCommands:');
  for (const [name, c] of Object.entries(COMMANDS)) console.log(`  ${name.padEnd(11)} ${c.summary}`);
  console.log('\nRun `npm run cli -- <command> --help` for the options of one command.');
}

const [commandName, ...rest] = process.argv.slice(2);
if (!commandName || commandName === "--help" || commandName === "-h" || commandName === "help") {
  help();
  process.exit(0);
}
const command = COMMANDS[commandName];
if (!command) {
  console.error(`Unknown command "${commandName}". Run \`npm run cli -- --help\` for the list.`);
  process.exit(2);
}
try {
  const mod = (await import(command.file)) as { run: (argv: string[]) => Promise<void> };
  await mod.run(rest);
} catch (e) {
  const err = e as Error & { exitCode?: number };
  console.error(`error: ${err.message}`);
  if (process.env.DEBUG) console.error(err.stack);
  process.exit(err.exitCode ?? 2);
}
export {};
