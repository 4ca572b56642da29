/** Small drawing helpers shared by the renderers (plain canvas 2-D calls, no DOM or Node imports). */
import type { Ctx2D, RenderOptions } from './types';

export const COLORS = { bg: '#f8fafc', ground: '#334155', body: '#1e293b', accent: '#4f46e5', policy: '#ea580c', good: '#16a34a', muted: '#94a3b8' };

export function clear(ctx: Ctx2D, color = COLORS.bg): { w: number; h: number } {
  const w = ctx.canvas.width;
  const h = ctx.canvas.height;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, w, h);
  return { w, h };
}

/** An arrow from (x, y) along (dx, dy) pixels. */
export function arrow(ctx: Ctx2D, x: number, y: number, dx: number, dy: number, color: string, width = 4): void {
  const len = Math.hypot(dx, dy);
  if (len < 1) return;
  const ux = dx / len;
  const uy = dy / len;
  const head = Math.min(14, len * 0.5);
  ctx.save();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = width;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.moveTo(x, y);
  ctx.lineTo(x + dx - ux * head * 0.8, y + dy - uy * head * 0.8);
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(x + dx, y + dy);
  ctx.lineTo(x + dx - ux * head - uy * head * 0.6, y + dy - uy * head + ux * head * 0.6);
  ctx.lineTo(x + dx - ux * head + uy * head * 0.6, y + dy - uy * head - ux * head * 0.6);
  ctx.closePath();
  ctx.fill();
  ctx.restore();
}

export function caption(ctx: Ctx2D, options: RenderOptions | undefined, text?: string, color: string = COLORS.body): void {
  const t = [options?.caption, text].filter(Boolean).join('  ·  ');
  if (!t) return;
  ctx.save();
  ctx.fillStyle = color;
  ctx.font = `${Math.max(11, Math.round(ctx.canvas.height / 28))}px sans-serif`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillText(t, 8, 6);
  ctx.restore();
}
