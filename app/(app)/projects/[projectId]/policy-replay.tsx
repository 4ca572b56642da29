'use client';
import { useQuery } from '@tanstack/react-query';
import { getEnv } from '@/envs/registry';
import { useTRPC } from '@/trpc/react';
import { RolloutPlayer } from '../../label/rollout-player';

/** One recorded evaluation episode of a policy version, replayed in the browser. */
export function PolicyReplay({ projectId, policyVersionId, envId, onClose }: { projectId: number; policyVersionId: number; envId: string; onClose: () => void }) {
  const trpc = useTRPC();
  const replay = useQuery(trpc.policy.replay.queryOptions({ projectId, policyVersionId }));
  const dt = getEnv(envId).dt;
  return (
    <section className="rounded-lg border border-indigo-200 bg-white p-3" data-testid="policy-replay">
      <div className="flex items-center justify-between">
        <h2 className="font-medium">
          {replay.data ? `Policy v${replay.data.version}: evaluation episode (seed ${replay.data.seed}), ${replay.data.length} steps, return ${replay.data.return.toFixed(1)}${replay.data.terminated ? ', terminated' : ''}` : 'Loading episode…'}
        </h2>
        <button className="text-sm text-slate-600 hover:underline" onClick={onClose}>
          Close
        </button>
      </div>
      {replay.error && <p role="alert" className="text-sm text-red-600">{replay.error.message}</p>}
      {replay.data && (
        <RolloutPlayer
          key={policyVersionId}
          envId={envId}
          context={{ startT: 0, states: replay.data.states, actions: replay.data.actions, policyActions: replay.data.actions }}
          focusT={replay.data.states.length - 1}
          dt={dt}
          seconds={replay.data.states.length * dt}
          open
          title="Episode"
        />
      )}
    </section>
  );
}
