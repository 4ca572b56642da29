'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { useTRPC } from '@/trpc/react';
import { EmptyState, Field, buttonClass, fieldErrorsOf, inputClass } from '../../_components/form';
import { PhaseBadge } from './phase-badge';

export function ProjectsView() {
  const trpc = useTRPC();
  const projects = useQuery(trpc.project.list.queryOptions());
  const me = useQuery(trpc.user.me.queryOptions());
  const canCreate = me.data?.role === 'researcher' || me.data?.role === 'admin';
  return (
    <section>
      <h1 className="text-2xl font-semibold">Projects</h1>
      <div className={`mt-4 grid gap-6 ${canCreate ? 'lg:grid-cols-[minmax(0,1fr)_24rem]' : ''}`}>
        <div>
          {projects.error && (
            <p role="alert" className="text-sm text-red-600">
              {projects.error.message}
            </p>
          )}
          {projects.isPending && <p className="text-sm text-slate-500">Loading projects…</p>}
          {projects.data && projects.data.length === 0 && (
            <EmptyState title="No projects yet">
              {canCreate ? (
                <>Create one with the form: pick an environment and press Create; the defaults give a working DAgger loop.</>
              ) : (
                <>
                  You are not a member of any project. Ask a researcher to add you, or go to <Link className="text-indigo-700 underline" href="/label">Label</Link>.
                </>
              )}
            </EmptyState>
          )}
          <ul className="space-y-2" data-testid="project-list">
            {projects.data?.map((p) => (
              <li key={p.id}>
                <Link
                  href={`/projects/${p.id}`}
                  className="block rounded-lg border border-slate-200 bg-white p-3 hover:border-indigo-300 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
                  data-testid={`project-row-${p.id}`}
                >
                  <div className="flex flex-wrap items-baseline justify-between gap-2">
                    <span className="font-medium">{p.name}</span>
                    <span className="text-xs text-slate-500">{p.envId ?? 'external simulator'}</span>
                  </div>
                  <div className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-slate-600">
                    {p.currentRound ? (
                      <>
                        <span>Round {p.currentRound.index}</span>
                        <PhaseBadge phase={p.currentRound.phase} />
                      </>
                    ) : (
                      <span>No rounds</span>
                    )}
                    <span aria-hidden>·</span>
                    <span>policy {p.deployedVersion ? `v${p.deployedVersion}` : 'not deployed'}</span>
                    <span aria-hidden>·</span>
                    <span>{p.datasetSize} dataset items</span>
                  </div>
                </Link>
              </li>
            ))}
          </ul>
        </div>
        {canCreate && <CreateProjectForm />}
      </div>
    </section>
  );
}

const STRATEGIES = [
  { value: 'first', label: 'first k of each rollout', withK: true },
  { value: 'all', label: 'all states', withK: false },
  { value: 'stride', label: 'every k-th step', withK: true },
  { value: 'random', label: 'uniform random (budget)', withK: false },
  { value: 'uncertainty', label: 'ensemble disagreement (budget)', withK: false },
  { value: 'prefailure', label: 'last k before failure', withK: true },
] as const;

/** The config keys are those of projectSettingsSchema (server/services/project-settings.ts). */
function CreateProjectForm() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const envs = useQuery(trpc.project.envs.queryOptions());
  const [envId, setEnvId] = useState('');
  const [policyKind, setPolicyKind] = useState('categorical');
  const [strategy, setStrategy] = useState('first');
  const [beta, setBeta] = useState<'constant' | 'linear' | 'exponential'>('constant');
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<string | null>(null);
  const create = useMutation(trpc.project.create.mutationOptions({ onSuccess: () => qc.invalidateQueries({ queryKey: trpc.project.list.queryKey() }) }));

  // Default environment once the list is known: the demo's LaneFollow-v0 if present, else the first one.
  useEffect(() => {
    if (envId || !envs.data?.length) return;
    setEnvId(envs.data.find((e) => e.id === 'LaneFollow-v0')?.id ?? envs.data[0]!.id);
  }, [envs.data, envId]);
  const env = envs.data?.find((e) => e.id === envId);
  const discrete = env ? env.actionSpace.kind === 'discrete' : true;
  // The policy class follows the action space; reset it when the environment changes.
  useEffect(() => setPolicyKind(discrete ? 'categorical' : 'gaussian'), [discrete]);
  const withK = STRATEGIES.find((s) => s.value === strategy)?.withK ?? false;

  const shown = new Set<string>();
  const err = (...keys: string[]) => {
    keys.forEach((k) => shown.add(k));
    const all = keys.flatMap((k) => Object.entries(errors).filter(([key]) => key === k || key.startsWith(`${k}.`)).flatMap(([, v]) => v));
    return all.length ? all : undefined;
  };

  return (
    <form
      aria-label="New project"
      className="space-y-3 self-start rounded-lg border border-slate-200 bg-white p-4"
      data-testid="new-project-form"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        // An empty box leaves the setting to its documented default; anything typed goes to the server as is.
        const num = (k: string): number | undefined => {
          const v = String(f.get(k) ?? '').trim();
          return v === '' ? undefined : Number(v);
        };
        const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
        const betaCfg =
          beta === 'constant'
            ? defined({ kind: 'constant', beta: num('beta') })
            : beta === 'linear'
              ? defined({ kind: 'linear', beta0: num('beta'), rounds: num('betaRounds') })
              : defined({ kind: 'exponential', p: num('beta') });
        const labelsPerState = num('labelsPerState');
        const hiddenText = String(f.get('hidden') ?? '').trim();
        const config = defined({
          policy: defined({
            kind: policyKind,
            ensemble: num('ensemble'),
            epochs: num('epochs'),
            hidden: hiddenText ? hiddenText.split(/[\s,]+/).filter(Boolean).map(Number) : undefined,
          }),
          selection: defined({ strategy, k: withK ? num('k') : undefined, budget: num('budget') }),
          beta: betaCfg,
          aggregation:
            labelsPerState === undefined ? undefined : { labelsPerState, maxLabelsPerState: Number.isFinite(labelsPerState) ? Math.max(labelsPerState, 3) : 3 },
          rolloutEpisodes: num('rolloutEpisodes'),
          seed: num('seed'),
          evaluation: num('evalEpisodes') === undefined ? undefined : { episodes: num('evalEpisodes') },
          leaseSeconds: num('leaseSeconds'),
          goldRate: num('goldRate'),
          showPolicyAction: f.get('showPolicyAction') === 'on',
          autoDeploy: f.get('autoDeploy') === 'on',
        });
        setErrors({});
        setError(null);
        try {
          const { id } = await create.mutateAsync({ name: String(f.get('name') ?? ''), ...(envId ? { envId } : {}), config });
          router.push(`/projects/${id}`);
        } catch (x) {
          setErrors(fieldErrorsOf(x));
          setError((x as Error).message);
        }
      }}
    >
      <h2 className="font-medium">New project</h2>
      <Field label="Name" errors={err('name')}>
        <input name="name" className={inputClass} placeholder="e.g. Lane keeping, crowd round 1" data-testid="new-project-name" autoComplete="off" />
      </Field>
      <Field
        label="Environment"
        errors={err('envId')}
        hint={
          env
            ? `${env.actionSpace.kind === 'discrete' ? `${env.actionSpace.n} actions (${env.actionSpace.names.join(', ')})` : `continuous, ${env.actionSpace.size} dimension(s)`} · horizon ${env.horizon} · ${Math.round(1 / env.dt)} steps/s`
            : undefined
        }
      >
        <select name="envId" className={inputClass} value={envId} onChange={(e) => setEnvId(e.target.value)} data-testid="new-project-env">
          {!envs.data && <option value="">loading…</option>}
          {envs.data?.map((e) => (
            <option key={e.id} value={e.id}>
              {e.id}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Policy class" errors={err('config.policy.kind')}>
        <select className={inputClass} value={policyKind} onChange={(e) => setPolicyKind(e.target.value)} data-testid="new-project-policy">
          {discrete && <option value="categorical">categorical MLP</option>}
          {!discrete && <option value="gaussian">Gaussian MLP</option>}
          {!discrete && <option value="mixture">mixture of Gaussians</option>}
        </select>
      </Field>
      <div className="grid grid-cols-2 gap-2">
        <Field label="State selection" errors={err('config.selection.strategy')}>
          <select className={inputClass} value={strategy} onChange={(e) => setStrategy(e.target.value)} data-testid="new-project-selection">
            {STRATEGIES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </Field>
        {withK ? (
          <Field label="k" errors={err('config.selection.k')}>
            <input name="k" type="number" inputMode="numeric" min={1} defaultValue={100} className={inputClass} data-testid="new-project-k" />
          </Field>
        ) : (
          <span />
        )}
        <Field label="Budget (states / round)" errors={err('config.selection.budget')} hint={withK || strategy === 'all' ? 'optional cap' : 'default 100'}>
          <input name="budget" type="number" inputMode="numeric" min={1} placeholder={withK || strategy === 'all' ? 'no cap' : '100'} className={inputClass} data-testid="new-project-budget" />
        </Field>
        <Field label="Rollouts / round" errors={err('config.rolloutEpisodes')}>
          <input name="rolloutEpisodes" type="number" inputMode="numeric" min={1} defaultValue={1} className={inputClass} data-testid="new-project-rollouts" />
        </Field>
        {strategy === 'uncertainty' && (
          <Field label="Ensemble size" errors={err('config.policy.ensemble')} hint="≥ 2 members give the disagreement">
            <input name="ensemble" type="number" inputMode="numeric" min={2} max={16} defaultValue={5} className={inputClass} data-testid="new-project-ensemble" />
          </Field>
        )}
        <Field label="β schedule" errors={err('config.beta.kind')} hint="probability that the expert acts">
          <select className={inputClass} value={beta} onChange={(e) => setBeta(e.target.value as typeof beta)} data-testid="new-project-beta-kind">
            <option value="constant">constant</option>
            <option value="linear">linear decay</option>
            <option value="exponential">exponential (pⁱ)</option>
          </select>
        </Field>
        <Field label={beta === 'exponential' ? 'p' : beta === 'linear' ? 'β₀' : 'β'} errors={err('config.beta.beta', 'config.beta.p', 'config.beta.beta0')}>
          <input
            name="beta"
            type="number"
            inputMode="decimal"
            step="0.05"
            min={0}
            max={1}
            defaultValue={beta === 'constant' ? 0 : beta === 'linear' ? 1 : 0.5}
            key={beta}
            className={inputClass}
            data-testid="new-project-beta"
          />
        </Field>
        {beta === 'linear' && (
          <Field label="Rounds to reach 0" errors={err('config.beta.rounds')}>
            <input name="betaRounds" type="number" inputMode="numeric" min={1} defaultValue={5} className={inputClass} data-testid="new-project-beta-rounds" />
          </Field>
        )}
        <Field label="Labels per state" errors={err('config.aggregation')} hint="redundancy; more on disagreement">
          <input name="labelsPerState" type="number" inputMode="numeric" min={1} max={20} defaultValue={1} className={inputClass} data-testid="new-project-labels-per-state" />
        </Field>
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input name="autoDeploy" type="checkbox" defaultChecked data-testid="new-project-auto-deploy" /> Deploy each new policy automatically
      </label>
      <details className="rounded border border-slate-200 p-2 text-sm">
        <summary className="cursor-pointer text-slate-700">More settings</summary>
        <div className="mt-2 grid grid-cols-2 gap-2">
          <Field label="Seed" errors={err('config.seed')}>
            <input name="seed" type="number" inputMode="numeric" min={0} placeholder="0" className={inputClass} />
          </Field>
          <Field label="Evaluation episodes" errors={err('config.evaluation')}>
            <input name="evalEpisodes" type="number" inputMode="numeric" min={1} placeholder="20" className={inputClass} />
          </Field>
          <Field label="Hidden layers" errors={err('config.policy.hidden')} hint="e.g. 64, 64">
            <input name="hidden" className={inputClass} placeholder="64, 64" />
          </Field>
          <Field label="Epochs" errors={err('config.policy.epochs')}>
            <input name="epochs" type="number" inputMode="numeric" min={1} placeholder="60" className={inputClass} />
          </Field>
          {strategy !== 'uncertainty' && (
            <Field label="Ensemble size" errors={err('config.policy.ensemble')}>
              <input name="ensemble" type="number" inputMode="numeric" min={1} max={16} placeholder="1" className={inputClass} />
            </Field>
          )}
          <Field label="Task lease (s)" errors={err('config.leaseSeconds')}>
            <input name="leaseSeconds" type="number" inputMode="numeric" min={10} max={3600} placeholder="120" className={inputClass} />
          </Field>
          <Field label="Gold-state rate" errors={err('config.goldRate')} hint="0 – 0.5">
            <input name="goldRate" type="number" inputMode="decimal" step="0.01" min={0} max={0.5} placeholder="0.05" className={inputClass} />
          </Field>
        </div>
        <label className="mt-2 flex items-center gap-2">
          <input name="showPolicyAction" type="checkbox" /> Show the policy’s action to labelers (it can anchor them)
        </label>
      </details>
      {error && (
        <div role="alert" className="text-sm text-red-600" data-testid="new-project-error">
          <p>{error}</p>
          {/* Field errors no input above shows (a key this form does not know yet). */}
          {Object.entries(errors)
            .filter(([k]) => ![...shown].some((s) => k === s || k.startsWith(`${s}.`)))
            .map(([k, v]) => (
              <p key={k} className="text-xs">
                {k}: {v.join('; ')}
              </p>
            ))}
        </div>
      )}
      <button type="submit" className={buttonClass} disabled={create.isPending || !envId} data-testid="create-project">
        {create.isPending ? 'Creating…' : 'Create project'}
      </button>
    </form>
  );
}
