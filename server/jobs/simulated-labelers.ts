/**
 * Simulated labelers: the scripted expert with a configurable error rate, unsure rate and delay. They
 * claim and submit through the same services a person's browser uses (task.next → label.submit), so a
 * round runs the same way with people or with simulations.
 */
import { getEnv } from '@/envs/registry';
import type { SessionUser } from '../auth';
import { createRng } from '../dagger/rng';
import { simulateLabel } from '../dagger/simulated-labeler';
import type { Runtime } from '../runtime';
import { claimTask } from '../services/claim-task';
import { skipTask, submitLabel } from '../services/submit-label';

export interface SimulatedLabeler {
  user: SessionUser;
  errorRate: number;
  unsureRate: number;
  /** Mean seconds per label (0 = as fast as possible); the actual delay is drawn around it. */
  delayMs: number;
}

export interface SimulationResult {
  labels: number;
  perLabeler: Record<string, number>;
}

export async function runSimulatedLabelers(
  rt: Runtime,
  projectId: number,
  labelers: SimulatedLabeler[],
  opts: { seed: number; maxLabels?: number; signal?: AbortSignal },
): Promise<SimulationResult> {
  const rng = createRng(opts.seed);
  const perLabeler: Record<string, number> = {};
  let labels = 0;
  let clientSeq = 0;
  const active = new Set(labelers.map((_, i) => i));
  while (active.size > 0 && labels < (opts.maxLabels ?? Infinity) && !opts.signal?.aborted) {
    for (const i of [...active]) {
      const l = labelers[i]!;
      const task = claimTask(rt, l.user, { projectId });
      if (!task) {
        active.delete(i);
        continue;
      }
      if (!task.envId) {
        // No scripted expert for external projects: a simulated labeler cannot answer, so it passes.
        skipTask(rt, l.user, { taskId: task.taskId });
        continue;
      }
      const env = getEnv(task.envId);
      const expertAction = env.expert(env.parseState(task.state));
      const decision = simulateLabel(expertAction, env.actionSpace, { errorRate: l.errorRate, unsureRate: l.unsureRate }, rng);
      const timeMs = l.delayMs > 0 ? Math.round(l.delayMs * (0.5 + rng.uniform())) : 0;
      if (timeMs > 0) await new Promise((r) => setTimeout(r, timeMs));
      submitLabel(rt, l.user, {
        taskId: task.taskId,
        clientId: `sim-${opts.seed}-${l.user.id.slice(0, 8)}-${clientSeq++}`,
        action: decision.action,
        unsure: decision.unsure,
        timeMs,
        mode: 'simulated',
      });
      perLabeler[l.user.email] = (perLabeler[l.user.email] ?? 0) + 1;
      labels++;
    }
  }
  return { labels, perLabeler };
}
