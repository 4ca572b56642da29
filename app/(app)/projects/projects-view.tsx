'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { declaredSpaces } from './declared-spaces';
import { useTRPC } from '@/trpc/react';
import { EmptyState, Field, buttonClass, fieldErrorsOf, inputClass } from '../../_components/form';

export function ProjectsView() {
  const trpc = useTRPC();
  const projects = useQuery(trpc.project.list.queryOptions());
  return (
    <section>
      <h1 className="text-2xl font-semibold">Projects</h1>
      <div className="mt-4 grid gap-6 lg:grid-cols-[1fr_22rem]">
        <div>
          {projects.data && projects.data.length === 0 && (
            <EmptyState title="No projects yet">Create one with the form: pick an environment, and the defaults get you a working DAgger loop.</EmptyState>
          )}
          <ul className="space-y-2" data-testid="project-list">
            {projects.data?.map((p) => (
              <li key={p.id}>
                <Link href={`/projects/${p.id}`} className="block rounded-lg border border-slate-200 bg-white p-3 hover:border-indigo-300">
                  <div className="flex flex-wrap items-baseline justify-between gap-2">
                    <span className="font-medium">{p.name}</span>
                    <span className="text-xs text-slate-500">{p.envId ?? 'external simulator'}</span>
                  </div>
                  <div className="mt-1 text-sm text-slate-600">
                    {p.currentRound ? `Round ${p.currentRound.index} · ${p.currentRound.phase}` : 'No rounds'} · policy {p.deployedVersion ? `v${p.deployedVersion}` : 'not deployed'} · {p.datasetSize}{' '}
                    dataset items
                  </div>
                </Link>
              </li>
            ))}
          </ul>
        </div>
        <CreateProjectForm />
      </div>
    </section>
  );
}

const EXTERNAL = '__external__';

function CreateProjectForm() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const envs = useQuery(trpc.project.envs.queryOptions());
  const [envId, setEnvId] = useState('LaneFollow-v0');
  const [strategy, setStrategy] = useState('first');
  const [beta, setBeta] = useState('constant');
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<string | null>(null);
  const create = useMutation(trpc.project.create.mutationOptions({ onSuccess: () => qc.invalidateQueries({ queryKey: trpc.project.list.queryKey() }) }));
  const [extAction, setExtAction] = useState<'discrete' | 'box'>('discrete');
  const external = envId === EXTERNAL;
  const env = envs.data?.find((e) => e.id === envId);
  const discrete = external ? extAction === 'discrete' : env?.actionSpace.kind === 'discrete';
  return (
    <form
      aria-label="New project"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const num = (k: string) => Number(f.get(k));
        const betaCfg =
          beta === 'constant' ? { kind: 'constant', beta: num('beta') } : beta === 'linear' ? { kind: 'linear', beta0: num('beta'), rounds: num('betaRounds') } : { kind: 'exponential', p: num('beta') };
        setErrors({});
        setError(null);
        let spaces: ReturnType<typeof declaredSpaces> | undefined;
        if (external) {
          spaces = declaredSpaces(f, extAction);
          if ('errors' in spaces) {
            setErrors(spaces.errors);
            setError('Check the declared spaces');
            return;
          }
        }
        try {
          const { id } = await create.mutateAsync({
            name: String(f.get('name') ?? ''),
            ...(external ? {} : { envId }),
            config: {
              ...(spaces && 'spaces' in spaces ? { spaces: spaces.spaces } : {}),
              policy: { kind: String(f.get('policy')) },
              selection: { strategy, k: num('k'), ...(f.get('budget') ? { budget: num('budget') } : {}) },
              beta: betaCfg,
              aggregation: { labelsPerState: num('labelsPerState'), maxLabelsPerState: Math.max(num('labelsPerState'), 3) },
              rolloutEpisodes: num('rolloutEpisodes'),
              autoDeploy: f.get('autoDeploy') === 'on',
            },
          });
          router.push(`/projects/${id}`);
        } catch (err) {
          setErrors(fieldErrorsOf(err));
          setError((err as Error).message);
        }
      }}
    >
      <h2 className="font-medium">New project</h2>
      <Field label="Name" errors={errors.name}>
        <input name="name" className={inputClass} placeholder="e.g. Lane keeping, crowd round 1" />
      </Field>
      <Field label="Environment" errors={errors.envId}>
        <select name="envId" className={inputClass} value={envId} onChange={(e) => setEnvId(e.target.value)}>
          {envs.data?.map((e) => (
            <option key={e.id} value={e.id}>
              {e.id}
            </option>
          ))}
          <option value={EXTERNAL}>External simulator (declare spaces)</option>
        </select>
      </Field>
      {external && (
        <fieldset aria-label="Declared spaces" className="space-y-2 rounded border border-slate-200 p-3">
          <p className="text-xs text-slate-500">
            Your simulator posts rollouts and demonstrations over the HTTP API (create an API token on the project page); labelers see the frames it uploads.
          </p>
          <div className="grid grid-cols-2 gap-2">
            <Field label="Observation size" errors={errors['config.spaces.observation.size']}>
              <input name="obsSize" type="number" min={1} defaultValue={4} className={inputClass} />
            </Field>
            <Field label="Action space" errors={errors['config.spaces.action.kind']}>
              <select className={inputClass} value={extAction} onChange={(e) => setExtAction(e.target.value as 'discrete' | 'box')}>
                <option value="discrete">discrete</option>
                <option value="box">continuous (box)</option>
              </select>
            </Field>
            {extAction === 'discrete' ? (
              <>
                <Field label="Number of actions" errors={errors['config.spaces.action.n']}>
                  <input name="actionN" type="number" min={2} max={64} defaultValue={2} className={inputClass} />
                </Field>
                <Field label="Action names (comma-separated, optional)" errors={errors['config.spaces.action.names']}>
                  <input name="actionNames" className={inputClass} placeholder="left, right" />
                </Field>
              </>
            ) : (
              <>
                <Field label="Action dimensions" errors={errors['config.spaces.action.size']}>
                  <input name="actionSize" type="number" min={1} max={64} defaultValue={2} className={inputClass} />
                </Field>
                <Field label="Low (one value, or one per dimension)" errors={errors['config.spaces.action.low']}>
                  <input name="actionLow" className={inputClass} defaultValue="-1" />
                </Field>
                <Field label="High (one value, or one per dimension)" errors={errors['config.spaces.action.high']}>
                  <input name="actionHigh" className={inputClass} defaultValue="1" />
                </Field>
              </>
            )}
          </div>
        </fieldset>
      )}
      <Field label="Policy class" errors={errors['config.policy.kind']}>
        <select name="policy" key={`${envId}:${discrete}`} className={inputClass} defaultValue={discrete ? 'categorical' : 'gaussian'}>
          {discrete ? <option value="categorical">categorical MLP</option> : null}
          {!discrete && <option value="gaussian">Gaussian MLP</option>}
          {!discrete && <option value="mixture">mixture of Gaussians</option>}
        </select>
      </Field>
      <div className="grid grid-cols-2 gap-2">
        <Field label="State selection" errors={errors['config.selection.strategy']}>
          <select className={inputClass} value={strategy} onChange={(e) => setStrategy(e.target.value)}>
            <option value="first">first k of each rollout</option>
            <option value="all">all states</option>
            <option value="stride">every k-th step</option>
            <option value="random">uniform random</option>
            <option value="uncertainty">ensemble disagreement</option>
            <option value="prefailure">last k before failure</option>
          </select>
        </Field>
        <Field label="k" errors={errors['config.selection.k']}>
          <input name="k" type="number" min={1} defaultValue={100} className={inputClass} />
        </Field>
        <Field label="Budget (states / round)" errors={errors['config.selection.budget']}>
          <input name="budget" type="number" min={1} placeholder="no cap" className={inputClass} />
        </Field>
        <Field label="Rollouts / round" errors={errors['config.rolloutEpisodes']}>
          <input name="rolloutEpisodes" type="number" min={1} defaultValue={1} className={inputClass} />
        </Field>
        <Field label="β schedule" errors={errors['config.beta.kind']}>
          <select className={inputClass} value={beta} onChange={(e) => setBeta(e.target.value)}>
            <option value="constant">constant</option>
            <option value="linear">linear decay</option>
            <option value="exponential">exponential (p^i)</option>
          </select>
        </Field>
        <Field label={beta === 'exponential' ? 'p' : beta === 'linear' ? 'β₁' : 'β'} errors={errors['config.beta.beta'] ?? errors['config.beta.p'] ?? errors['config.beta.beta0']}>
          <input name="beta" type="number" step="0.05" min={0} max={1} defaultValue={beta === 'constant' ? 0 : beta === 'linear' ? 1 : 0.5} key={beta} className={inputClass} />
        </Field>
        {beta === 'linear' && (
          <Field label="Decay rounds">
            <input name="betaRounds" type="number" min={1} defaultValue={5} className={inputClass} />
          </Field>
        )}
        <Field label="Labels per state" errors={errors['config.aggregation.labelsPerState']}>
          <input name="labelsPerState" type="number" min={1} max={20} defaultValue={1} className={inputClass} />
        </Field>
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input name="autoDeploy" type="checkbox" defaultChecked /> Deploy each new policy automatically
      </label>
      {error && (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      )}
      <button type="submit" className={buttonClass} disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create project'}
      </button>
    </form>
  );
}
