'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { getEnv } from '@/envs/registry';
import type { ActionSpace } from '@/envs/types';
import { useTRPC } from '@/trpc/react';
import { EnvCanvas } from '../../../../_components/env-canvas';
import { EmptyState, buttonClass, fieldErrorsOf, inputClass, secondaryButtonClass } from '../../../../_components/form';

type Source = 'demonstration' | 'dagger' | 'import';
type Filters = { round?: number; source?: Source; labelerId?: string; action?: number; agreementBelow?: number; excluded?: boolean };

const PAGE_SIZE = 25;

function spaceOf(envId: string | null): ActionSpace | null {
  if (!envId) return null;
  try {
    return getEnv(envId).actionSpace;
  } catch {
    return null;
  }
}

/** A discrete action by name ("steer left (2)"); a continuous one as its numbers. */
function formatAction(space: ActionSpace | null, a: unknown): string {
  if (typeof a === 'number' && space?.kind === 'discrete') return `${space.names[a] ?? '?'} (${a})`;
  if (Array.isArray(a)) return `[${a.map((v) => (typeof v === 'number' ? Number(v.toFixed(3)) : v)).join(', ')}]`;
  return JSON.stringify(a);
}

export function DatasetReview({ projectId }: { projectId: number }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [page, setPage] = useState(0);
  const [filters, setFilters] = useState<Filters>({});
  const [selected, setSelected] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const [importMsg, setImportMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const rows = useRef<(HTMLTableRowElement | null)[]>([]);
  const project = useQuery(trpc.project.get.queryOptions({ projectId }));
  const labelers = useQuery(trpc.project.labelers.queryOptions({ projectId }));
  const list = useQuery({ ...trpc.dataset.list.queryOptions({ projectId, page, pageSize: PAGE_SIZE, ...filters }), placeholderData: (prev) => prev });
  const item = useQuery({ ...trpc.dataset.item.queryOptions({ projectId, itemId: selected ?? 1 }), enabled: selected !== null });
  const review = useMutation(
    trpc.dataset.review.mutationOptions({
      onSuccess: () => {
        setReason('');
        void qc.invalidateQueries({ queryKey: trpc.dataset.list.queryKey() });
        void qc.invalidateQueries({ queryKey: trpc.project.get.queryKey({ projectId }) });
        void item.refetch();
      },
    }),
  );
  const importDemos = useMutation(trpc.round.importDemonstrations.mutationOptions());
  const setFilter = <K extends keyof Filters>(k: K, v: Filters[K]) => {
    setPage(0);
    setFilters((f) => ({ ...f, [k]: v }));
  };
  const envId = project.data?.envId ?? null;
  const space = spaceOf(envId);
  const emailById = new Map([...(project.data?.members ?? []).map((m) => [m.userId, m.email] as const), ...(labelers.data ?? []).map((l) => [l.labelerId, l.email] as const)]);
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / list.data.pageSize)) : 1;
  const currentRound = project.data?.rounds.at(-1);
  const anyFilter = Object.values(filters).some((v) => v !== undefined);

  const aside = useRef<HTMLElement>(null);
  const select = (id: number) => {
    setSelected(id);
    review.reset();
    // On a narrow screen the item panel sits under the table: bring it into view.
    if (window.innerWidth < 1024) requestAnimationFrame(() => aside.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
  };
  const focusRow = (i: number) => {
    const r = rows.current[i];
    if (r) r.focus();
  };

  return (
    <section className="space-y-4">
      <header className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-2xl font-semibold">Dataset</h1>
        <span className="text-sm text-slate-500">{list.data ? `${list.data.total} item(s)${anyFilter ? ' match' : ''}` : ''}</span>
        <span className="ml-auto flex gap-3 text-sm">
          <a className="text-indigo-700 hover:underline" href={`/api/projects/${projectId}/dataset?format=jsonl`} download data-testid="export-jsonl">
            Export JSONL
          </a>
          <a className="text-indigo-700 hover:underline" href={`/api/projects/${projectId}/dataset?format=npz`} download data-testid="export-npz">
            Export .npz
          </a>
        </span>
      </header>

      <div className="flex flex-wrap items-end gap-2 rounded-lg border border-slate-200 bg-white p-3 text-sm" role="group" aria-label="Filters" data-testid="dataset-filters">
        <label className="block">
          Round
          <select className={inputClass} value={filters.round ?? ''} onChange={(e) => setFilter('round', e.target.value === '' ? undefined : Number(e.target.value))} data-testid="filter-round">
            <option value="">all</option>
            {project.data?.rounds.map((r) => (
              <option key={r.id} value={r.index}>
                {r.index}
              </option>
            ))}
          </select>
        </label>
        <label className="block">
          Source
          <select className={inputClass} value={filters.source ?? ''} onChange={(e) => setFilter('source', (e.target.value || undefined) as Source | undefined)} data-testid="filter-source">
            <option value="">all</option>
            <option value="demonstration">demonstration</option>
            <option value="dagger">dagger label</option>
            <option value="import">import</option>
          </select>
        </label>
        <label className="block">
          Labeler
          <select className={inputClass} value={filters.labelerId ?? ''} onChange={(e) => setFilter('labelerId', e.target.value || undefined)} data-testid="filter-labeler">
            <option value="">all</option>
            {labelers.data?.map((l) => (
              <option key={l.labelerId} value={l.labelerId}>
                {l.email}
              </option>
            ))}
          </select>
        </label>
        {space?.kind === 'discrete' && (
          <label className="block">
            Action
            <select className={inputClass} value={filters.action ?? ''} onChange={(e) => setFilter('action', e.target.value === '' ? undefined : Number(e.target.value))} data-testid="filter-action">
              <option value="">all</option>
              {space.names.map((n, i) => (
                <option key={n} value={i}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="block">
          Agreement below
          <input
            className={inputClass.replace('w-full', 'w-24')}
            type="number"
            inputMode="decimal"
            step="0.05"
            min={0}
            max={1}
            placeholder="0–1"
            value={filters.agreementBelow ?? ''}
            onChange={(e) => setFilter('agreementBelow', e.target.value === '' ? undefined : Math.min(1, Math.max(0, Number(e.target.value))))}
            data-testid="filter-agreement"
          />
        </label>
        <label className="block">
          Excluded
          <select
            className={inputClass}
            value={filters.excluded === undefined ? '' : filters.excluded ? 'yes' : 'no'}
            onChange={(e) => setFilter('excluded', e.target.value === '' ? undefined : e.target.value === 'yes')}
            data-testid="filter-excluded"
          >
            <option value="">all items</option>
            <option value="no">in training</option>
            <option value="yes">excluded only</option>
          </select>
        </label>
        {anyFilter && (
          <button
            type="button"
            className={secondaryButtonClass}
            onClick={() => {
              setPage(0);
              setFilters({});
            }}
            data-testid="filter-clear"
          >
            Clear filters
          </button>
        )}
      </div>

      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_24rem]">
        <div className="min-w-0">
          {list.error && (
            <p role="alert" className="text-sm text-red-600">
              {list.error.message}
            </p>
          )}
          {list.data && list.data.total === 0 ? (
            <div data-testid="dataset-table">
              <EmptyState title={anyFilter ? 'No dataset items match these filters' : 'The dataset is empty'}>
                {anyFilter
                  ? 'Loosen or clear the filters.'
                  : envId
                    ? 'Record expert episodes on the Dashboard, play some on Demonstrate, or import a JSONL file below; labels join it as rounds resolve.'
                    : 'Import a JSONL file below or post demonstrations over the HTTP API; labels join it as rounds resolve.'}
              </EmptyState>
            </div>
          ) : (
            <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
              <table className="w-full text-left text-sm" data-testid="dataset-table" aria-label="Dataset items">
                <thead className="bg-slate-50 text-slate-500">
                  <tr>
                    <th className="px-2 py-1">#</th>
                    <th className="px-2 py-1">Round</th>
                    <th className="px-2 py-1">Step</th>
                    <th className="px-2 py-1">Source</th>
                    <th className="px-2 py-1">Action</th>
                    <th className="px-2 py-1">Agreement</th>
                    <th className="px-2 py-1">Labels</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data?.items.map((it, i) => (
                    <tr
                      key={it.id}
                      ref={(el) => {
                        rows.current[i] = el;
                      }}
                      tabIndex={0}
                      aria-current={selected === it.id ? true : undefined}
                      className={`cursor-pointer border-t border-slate-100 outline-none hover:bg-indigo-50 focus-visible:bg-indigo-100 ${selected === it.id ? 'bg-indigo-50' : ''} ${it.excluded ? 'text-slate-400 line-through' : ''}`}
                      onClick={() => select(it.id)}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter' || e.key === ' ') {
                          e.preventDefault();
                          select(it.id);
                        } else if (e.key === 'ArrowDown' || e.key === 'j') {
                          e.preventDefault();
                          focusRow(i + 1);
                        } else if (e.key === 'ArrowUp' || e.key === 'k') {
                          e.preventDefault();
                          focusRow(i - 1);
                        }
                      }}
                      data-testid={`dataset-row-${it.id}`}
                    >
                      <td className="px-2 py-1">{it.id}</td>
                      <td className="px-2 py-1">{it.round}</td>
                      <td className="px-2 py-1">{it.t ?? '—'}</td>
                      <td className="px-2 py-1">{it.source}</td>
                      <td className="whitespace-nowrap px-2 py-1 font-mono text-xs">{formatAction(space, it.action)}</td>
                      <td className="px-2 py-1">{(it.agreement * 100).toFixed(0)}%</td>
                      <td className="px-2 py-1">{it.labelCount}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div className="mt-2 flex flex-wrap items-center gap-2 text-sm">
            <button className={secondaryButtonClass} disabled={page === 0} onClick={() => setPage((p) => p - 1)} data-testid="page-prev">
              Previous
            </button>
            <span data-testid="page-info">
              page {page + 1} / {pages} · {list.data?.total ?? 0} items
            </span>
            <button className={secondaryButtonClass} disabled={page + 1 >= pages} onClick={() => setPage((p) => p + 1)} data-testid="page-next">
              Next
            </button>
          </div>
        </div>

        <aside ref={aside} className="min-w-0 scroll-mt-4 space-y-3" data-testid="dataset-item" aria-live="polite">
          {selected === null ? (
            <EmptyState title="Select an item">Click a row (or focus it and press Enter) to see its state, its labels and who gave them.</EmptyState>
          ) : !item.data ? (
            item.error ? (
              <p role="alert" className="text-sm text-red-600">
                {item.error.message}
              </p>
            ) : (
              <p className="text-sm text-slate-500">Loading item {selected}…</p>
            )
          ) : (
            <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-3 text-sm">
              <div className="flex items-start justify-between gap-2">
                <p className="font-medium">
                  Item {item.data.id} · round {item.data.round}
                  {item.data.t !== null ? ` · step ${item.data.t}` : ''} · {item.data.source}
                  {item.data.excluded && <span className="ml-2 rounded bg-red-50 px-1 text-red-700">excluded</span>}
                </p>
                <button className="text-slate-500 hover:text-slate-800" aria-label="Close item" onClick={() => {
                    setSelected(null);
                    review.reset();
                  }}>
                  ✕
                </button>
              </div>
              {envId && item.data.state !== null && item.data.state !== undefined ? (
                <EnvCanvas envId={envId} state={item.data.state} action={item.data.action} width={360} height={225} testId="dataset-item-canvas" />
              ) : (
                <details open={!envId}>
                  <summary className="cursor-pointer text-slate-600">Observation ({item.data.obs.length} values)</summary>
                  <pre className="mt-1 max-h-40 overflow-auto rounded bg-slate-50 p-2 text-xs" data-testid="dataset-item-obs">
                    {JSON.stringify(item.data.obs.map((v) => Number(v.toFixed(4))))}
                  </pre>
                </details>
              )}
              <p>
                Consensus: <code>{formatAction(space, item.data.action)}</code> · agreement {(item.data.agreement * 100).toFixed(0)}% · {item.data.labelCount} label(s)
              </p>
              <div>
                <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">Labels</h3>
                <ul className="space-y-0.5" data-testid="dataset-item-labels">
                  {item.data.labels.map((l) => (
                    <li key={l.id}>
                      <code>{formatAction(space, l.action)}</code> by {l.email} · {(l.timeMs / 1000).toFixed(2)} s · {l.mode}
                      {l.unsure ? ' · unsure' : ''}
                    </li>
                  ))}
                  {item.data.labels.length === 0 && <li className="text-slate-500">No labels: {item.data.source === 'dagger' ? 'labels were undone' : `a ${item.data.source} item`}.</li>}
                </ul>
              </div>
              <form
                className="space-y-2 border-t border-slate-100 pt-2"
                aria-label="Review item"
                onSubmit={(e) => e.preventDefault()}
              >
                <label className="block">
                  Reason <span className="text-xs text-slate-500">(recorded with the action)</span>
                  <input className={inputClass} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} placeholder="e.g. labeler misread the lane" data-testid="review-reason" />
                </label>
                {fieldErrorsOf(review.error).reason?.map((m) => (
                  <p key={m} role="alert" className="text-xs text-red-600">
                    {m}
                  </p>
                ))}
                <div className="flex flex-wrap gap-2">
                  {item.data.excluded ? (
                    <button
                      type="button"
                      className={secondaryButtonClass}
                      disabled={review.isPending}
                      onClick={() => review.mutate({ projectId, itemId: item.data!.id, kind: 'include', ...(reason.trim() ? { reason } : {}) })}
                      data-testid="review-include"
                    >
                      Include again
                    </button>
                  ) : (
                    <button
                      type="button"
                      className={secondaryButtonClass}
                      disabled={review.isPending}
                      onClick={() => review.mutate({ projectId, itemId: item.data!.id, kind: 'exclude', ...(reason.trim() ? { reason } : {}) })}
                      data-testid="review-exclude"
                    >
                      Exclude
                    </button>
                  )}
                  <button
                    type="button"
                    className={secondaryButtonClass}
                    disabled={review.isPending}
                    onClick={() => review.mutate({ projectId, itemId: item.data!.id, kind: 'relabel', ...(reason.trim() ? { reason } : {}) })}
                    data-testid="review-relabel"
                    title="Queues the state again in the round that is labeling now (and excludes this answer)"
                  >
                    Send for relabeling
                  </button>
                </div>
                {review.error && (
                  <p role="alert" className="text-red-600" data-testid="review-error">
                    {review.error.message}
                  </p>
                )}
              </form>
              <div>
                <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">History</h3>
                {item.data.events.length === 0 ? (
                  <p className="text-xs text-slate-500">Never reviewed.</p>
                ) : (
                  <ul className="text-xs text-slate-600" data-testid="dataset-item-events">
                    {item.data.events.map((e) => (
                      <li key={e.id}>
                        {new Date(e.createdAt).toLocaleString()}: {e.kind}
                        {e.byUserId ? ` by ${emailById.get(e.byUserId) ?? 'a researcher'}` : ''}
                        {e.reason ? ` (${e.reason})` : ''}
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            </div>
          )}

          <form
            className="space-y-2 rounded-lg border border-slate-200 bg-white p-3 text-sm"
            aria-label="Import demonstrations"
            data-testid="import-form"
            onSubmit={async (e) => {
              e.preventDefault();
              const form = e.currentTarget;
              const file = (new FormData(form).get('file') as File | null) ?? null;
              if (!file || file.size === 0) return setImportMsg({ ok: false, text: 'Choose a .jsonl file first.' });
              setImportMsg(null);
              try {
                const r = await importDemos.mutateAsync({ projectId, jsonl: await file.text() });
                setImportMsg({ ok: true, text: `Imported ${r.items} samples in ${r.episodes} episode(s) into round ${r.roundIndex}.` });
                form.reset();
                void qc.invalidateQueries({ queryKey: trpc.dataset.list.queryKey() });
                void qc.invalidateQueries({ queryKey: trpc.project.get.queryKey({ projectId }) });
              } catch (err) {
                const fe = fieldErrorsOf(err);
                const detail = Object.entries(fe)
                  .map(([k, v]) => `${k}: ${v.join('; ')}`)
                  .join(' · ');
                setImportMsg({ ok: false, text: detail ? `${(err as Error).message} (${detail})` : (err as Error).message });
              }
            }}
          >
            <p className="font-medium">Import demonstrations (JSONL)</p>
            <p className="text-xs text-slate-500">
              One line per step: <code>{'{"obs": [...], "action": …, "episode": 0}'}</code>. Every line is checked first; nothing is written if one is wrong.
              {currentRound ? ` Goes into round ${currentRound.index}.` : ''}
            </p>
            <label className="block">
              <span className="sr-only">JSONL file</span>
              <input type="file" name="file" accept=".jsonl,.ndjson,.json,application/x-ndjson,application/jsonl" className="block w-full text-xs" data-testid="import-file" />
            </label>
            <button className={buttonClass} disabled={importDemos.isPending} data-testid="import-submit">
              {importDemos.isPending ? 'Importing…' : 'Import'}
            </button>
            {importMsg && (
              <p role={importMsg.ok ? 'status' : 'alert'} className={importMsg.ok ? 'text-emerald-700' : 'text-red-600'} data-testid="import-result">
                {importMsg.text}
              </p>
            )}
          </form>
        </aside>
      </div>
    </section>
  );
}
