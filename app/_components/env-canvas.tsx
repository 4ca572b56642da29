'use client';
import { useEffect, useRef } from 'react';
import { getEnv } from '@/envs/registry';
import type { Action, Ctx2D } from '@/envs/types';

/** Renders an environment state with the environment's own renderer, sharp on high-DPI screens. */
export function EnvCanvas({
  envId,
  state,
  action,
  caption,
  width = 480,
  height = 300,
  className,
  testId,
  onPaint,
}: {
  envId: string;
  state: unknown;
  action?: Action | null;
  caption?: string;
  width?: number;
  height?: number;
  className?: string;
  testId?: string;
  onPaint?: () => void;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || state === null || state === undefined) return;
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    try {
      const env = getEnv(envId);
      env.render(ctx as unknown as Ctx2D, env.parseState(state), { ...(action !== undefined && action !== null ? { action } : {}), caption });
    } catch (e) {
      ctx.fillStyle = '#fef2f2';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.fillStyle = '#b91c1c';
      ctx.font = '14px sans-serif';
      ctx.fillText(`Cannot render: ${(e as Error).message}`.slice(0, 80), 10, 24);
    }
    onPaint?.();
  }, [envId, state, action, caption, width, height, onPaint]);
  return <canvas ref={ref} data-testid={testId ?? 'env-canvas'} className={className} style={{ width: '100%', maxWidth: width, aspectRatio: `${width} / ${height}` }} />;
}
