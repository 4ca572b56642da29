/** `npm run worker`: the job worker as its own process (several may run beside the web server). */
import { ConfigError, config } from '../server/config';
import { jobHandlers } from '../server/jobs/handlers';
import { JobRunner } from '../server/jobs/runner';
import { runtime } from '../server/runtime';

try {
  config();
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
const runner = new JobRunner({ runtime: runtime(), handlers: jobHandlers(), log: (m) => console.log(m) });
console.log(`[worker] ${runner.owner} polling for jobs in ${config().dataDir}`);
runner.start();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    console.log(`[worker] ${sig}: finishing the current job`);
    void runner.stop().then(() => process.exit(0));
  });
}
