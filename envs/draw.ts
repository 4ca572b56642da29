/** Small drawing helpers shared by the renderers (plain canvas 2-D calls, no DOM or Node imports). */
import type { Ctx2D, RenderOptions } from './types';

export const COLORS = { bg: '#f8fafc', ground: '#334155', body: '#1e293b', accent: '#4f46e5', policy: '#ea580c', good: '#16a34a', muted: '#94a3b8' };

/** Fills the canvas with a colour; returns its size and `u`, one "pixel" of a 200-pixel-high drawing. */
export function clear(ctx: Ctx2D, color = COLORS.bg): { w: number; h: number; u: number } {
  const w = ctx.canvas.width;
  const h = ctx.canvas.height;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.globalAlpha = 1;
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, w, h);
  return { w, h, u: Math.min(w, h) / 200 };
}

/** An arrow from (x, y) along (dx, dy) pixels, `width` pixels thick. */
export function arrow(ctx: Ctx2D, x: number, y: number, dx: number, dy: number, color: string, width = 4): void {
  const len = Math.hypot(dx, dy);
  if (len < 1) return;
  const ux = dx / len;
  const uy = dy / len;
  const head = Math.min(3.5 * width, len * 0.5);
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

/**
 * A curved arrow around (cx, cy) at radius r, from angle a0 sweeping `sweep` radians (canvas angles: 0 = +x,
 * positive = clockwise on screen), for torques.
 */
export function arcArrow(ctx: Ctx2D, cx: number, cy: number, r: number, a0: number, sweep: number, color: string, width = 4): void {
  if (Math.abs(sweep) < 0.05) return;
  const a1 = a0 + sweep;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = width;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.arc(cx, cy, r, Math.min(a0, a1), Math.max(a0, a1));
  ctx.stroke();
  // Head at a1, pointing along the direction of travel.
  const dir = Math.sign(sweep);
  const tx = -Math.sin(a1) * dir;
  const ty = Math.cos(a1) * dir;
  const px = cx + r * Math.cos(a1);
  const py = cy + r * Math.sin(a1);
  const head = 3.5 * width;
  ctx.beginPath();
  ctx.moveTo(px + tx * head, py + ty * head);
  ctx.lineTo(px - ty * head * 0.6, py + tx * head * 0.6);
  ctx.lineTo(px + ty * head * 0.6, py - tx * head * 0.6);
  ctx.closePath();
  ctx.fill();
  ctx.restore();
}

/** Draws options.caption (and an environment's own text) in the top-left corner. */
export function caption(ctx: Ctx2D, options: RenderOptions | undefined, text?: string, color: string = COLORS.body): void {
  const t = [options?.caption, text].filter(Boolean).join('  ·  ');
  if (!t) return;
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = color;
  ctx.font = `${Math.max(11, Math.round(ctx.canvas.height / 28))}px sans-serif`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillText(t, 8, 6);
  ctx.restore();
}
