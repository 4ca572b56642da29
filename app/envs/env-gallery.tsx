'use client';
import { listEnvs, getEnv } from '@/envs/registry';
import { EnvCanvas } from '../_components/env-canvas';

export function EnvGallery() {
  return (
    <ul className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
      {listEnvs().map((e) => {
        const env = getEnv(e.id);
        let s = env.reset(7);
        for (let t = 0; t < 10; t++) s = env.step(s, env.expert(s)).state;
        return (
          <li key={e.id} className="rounded-lg border border-slate-200 bg-white p-3" data-testid={`env-${e.id}`}>
            <h2 className="font-medium">{e.id}</h2>
            <EnvCanvas envId={e.id} state={s} action={env.expert(s)} width={360} height={225} testId={`canvas-${e.id}`} />
            <p className="mt-1 text-xs text-slate-600">
              obs {e.observationSpace.size} · {e.actionSpace.kind === 'discrete' ? `${e.actionSpace.n} actions (${e.actionSpace.names.join(', ')})` : `box ${e.actionSpace.size}`} · horizon {e.horizon}
              {e.rewardThreshold !== null ? ` · threshold ${e.rewardThreshold}` : ''}
            </p>
          </li>
        );
      })}
    </ul>
  );
}
