/** A round's phase as a coloured badge (the same colours on the project list and the dashboard). */
const PHASE_STYLE: Record<string, string> = {
  rollout: 'bg-sky-100 text-sky-800',
  labeling: 'bg-amber-100 text-amber-800',
  training: 'bg-violet-100 text-violet-800',
  evaluating: 'bg-violet-100 text-violet-800',
  done: 'bg-emerald-100 text-emerald-800',
  failed: 'bg-red-100 text-red-800',
};

export function PhaseBadge({ phase, testId }: { phase: string; testId?: string }) {
  return (
    <span className={`rounded px-1.5 py-0.5 text-xs ${PHASE_STYLE[phase] ?? 'bg-slate-100 text-slate-700'}`} data-testid={testId}>
      {phase}
    </span>
  );
}
