'use client';
import { useState } from 'react';

export interface Point {
  x: number;
  y: number;
  lo?: number;
  hi?: number;
}
export interface Series {
  name: string;
  points: Point[];
  color: string;
  dashed?: boolean;
}

function ticks(lo: number, hi: number, n = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (lo === hi) return [lo];
  const step = 10 ** Math.floor(Math.log10((hi - lo) / n));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => (hi - lo) / s <= n) ?? step * 10;
  const out: number[] = [];
  for (let v = Math.ceil(lo / nice) * nice; v <= hi + 1e-9; v += nice) out.push(+v.toFixed(10));
  return out;
}

/** A small SVG line chart with mean ± std bands, reference lines, a legend and hover values. */
export function LineChart({
  title,
  series,
  refLines = [],
  xLabel = 'round',
  height = 180,
  testId,
}: {
  title: string;
  series: Series[];
  refLines?: { y: number; label: string; color: string }[];
  xLabel?: string;
  height?: number;
  testId?: string;
}) {
  const [hover, setHover] = useState<number | null>(null);
  const all = series.flatMap((s) => s.points);
  const W = 420;
  const H = height;
  const pad = { l: 44, r: 10, t: 10, b: 28 };
  if (all.length === 0) {
    return (
      <figure className="rounded-lg border border-slate-200 bg-white p-3" data-testid={testId}>
        <figcaption className="text-sm font-medium">{title}</figcaption>
        <p className="py-8 text-center text-sm text-slate-500">No rounds finished yet.</p>
      </figure>
    );
  }
  const ys = [...all.flatMap((p) => [p.y, p.lo ?? p.y, p.hi ?? p.y]), ...refLines.map((r) => r.y)].filter(Number.isFinite);
  let y0 = Math.min(...ys);
  let y1 = Math.max(...ys);
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const x0 = Math.min(...all.map((p) => p.x));
  const x1 = Math.max(...all.map((p) => p.x), x0 + 1);
  const sx = (x: number) => pad.l + ((x - x0) / (x1 - x0)) * (W - pad.l - pad.r);
  const sy = (y: number) => H - pad.b - ((y - y0) / (y1 - y0)) * (H - pad.t - pad.b);
  const xs = [...new Set(all.map((p) => p.x))].sort((a, b) => a - b);
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-3" data-testid={testId}>
      <figcaption className="flex flex-wrap items-center gap-x-3 text-sm font-medium">
        {title}
        {series.map((s) => (
          <span key={s.name} className="flex items-center gap-1 text-xs font-normal text-slate-600">
            <span className="inline-block h-0.5 w-4" style={{ background: s.color }} /> {s.name}
          </span>
        ))}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} className="mt-1 w-full" role="img" aria-label={title} onMouseLeave={() => setHover(null)}>
        {ticks(y0, y1).map((t) => (
          <g key={t}>
            <line x1={pad.l} x2={W - pad.r} y1={sy(t)} y2={sy(t)} stroke="#e2e8f0" />
            <text x={pad.l - 4} y={sy(t) + 3} textAnchor="end" fontSize="10" fill="#64748b">
              {Math.abs(t) >= 1000 ? t.toExponential(1) : t}
            </text>
          </g>
        ))}
        {xs.map((x) => (
          <text key={x} x={sx(x)} y={H - pad.b + 14} textAnchor="middle" fontSize="10" fill="#64748b">
            {x}
          </text>
        ))}
        <text x={(W + pad.l) / 2} y={H - 2} textAnchor="middle" fontSize="10" fill="#64748b">
          {xLabel}
        </text>
        {refLines.map((r) => (
          <g key={r.label}>
            <line x1={pad.l} x2={W - pad.r} y1={sy(r.y)} y2={sy(r.y)} stroke={r.color} strokeDasharray="4 3" />
            <text x={W - pad.r} y={sy(r.y) - 3} textAnchor="end" fontSize="10" fill={r.color}>
              {r.label}
            </text>
          </g>
        ))}
        {series.map((s) => {
          const band = s.points.filter((p) => p.lo !== undefined && p.hi !== undefined);
          return (
            <g key={s.name}>
              {band.length > 1 && (
                <path
                  d={`M${band.map((p) => `${sx(p.x)},${sy(p.hi!)}`).join('L')}L${[...band].reverse().map((p) => `${sx(p.x)},${sy(p.lo!)}`).join('L')}Z`}
                  fill={s.color}
                  opacity={0.15}
                />
              )}
              <polyline points={s.points.map((p) => `${sx(p.x)},${sy(p.y)}`).join(' ')} fill="none" stroke={s.color} strokeWidth={2} strokeDasharray={s.dashed ? '5 4' : undefined} />
              {s.points.map((p) => (
                <circle key={p.x} cx={sx(p.x)} cy={sy(p.y)} r={hover === p.x ? 4 : 2.5} fill={s.color} />
              ))}
            </g>
          );
        })}
        {xs.map((x) => (
          <rect key={x} x={sx(x) - 8} y={pad.t} width={16} height={H - pad.t - pad.b} fill="transparent" onMouseEnter={() => setHover(x)} />
        ))}
        {hover !== null && (
          <text x={Math.min(sx(hover) + 6, W - 120)} y={pad.t + 12} fontSize="11" fill="#0f172a">
            {series
              .map((s) => {
                const p = s.points.find((q) => q.x === hover);
                return p ? `${s.name}: ${p.y.toFixed(3)}` : null;
              })
              .filter(Boolean)
              .join('  ')}
          </text>
        )}
      </svg>
    </figure>
  );
}

export function ProgressBar({ value, label, testId }: { value: number; label: string; testId?: string }) {
  const pct = Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div className="w-full" data-testid={testId}>
      <div className="flex justify-between text-xs text-slate-600">
        <span>{label}</span>
        <span>{pct}%</span>
      </div>
      <div className="mt-0.5 h-2 w-full overflow-hidden rounded bg-slate-200" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} aria-label={label}>
        <div className="h-full bg-indigo-600 transition-all" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
