/** Entry point of the job worker when it runs as a worker_thread inside the web server process. */
import { parentPort } from 'node:worker_threads';
import { runtime } from '../runtime';
import { jobHandlers } from './handlers';
import { JobRunner } from './runner';

const runner = new JobRunner({ runtime: runtime(), handlers: jobHandlers(), log: (m) => console.log(m) });
runner.start();
parentPort?.on('message', (msg) => {
  if (msg === 'stop') void runner.stop().then(() => process.exit(0));
});
