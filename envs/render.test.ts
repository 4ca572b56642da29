/** Every environment draws on a real canvas (@napi-rs/canvas, Skia) without a browser. PNGs go to a tmp dir. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { ENV_IDS, getEnv } from './registry';
import type { Action, Ctx2D, Env, RenderOptions } from './types';

const OUT = fs.mkdtempSync(path.join(os.tmpdir(), 'env-render-'));

function draw(id: string, state: unknown, options?: RenderOptions, width = 320, height = 200) {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d') as unknown as Ctx2D;
  getEnv(id).render(ctx, state, options);
  return { canvas, pixels: canvas.getContext('2d').getImageData(0, 0, width, height).data };
}

/** Pixels that differ between two images of the same size. */
function differing(a: Uint8ClampedArray, b: Uint8ClampedArray): number {
  let n = 0;
  for (let i = 0; i < a.length; i += 4) if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) n++;
  return n;
}

/** Pixels that are not the most common colour (the background). */
function foreground(p: Uint8ClampedArray): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < p.length; i += 4) {
    const c = (p[i]! << 16) | (p[i + 1]! << 8) | p[i + 2]!;
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  return p.length / 4 - Math.max(...counts.values());
}

/** An action that visibly does something (not a no-op). */
function visibleAction(env: Env<unknown>): Action {
  const s = env.actionSpace;
  return s.kind === 'discrete' ? s.n - 1 : s.high.slice();
}

describe('renderers', () => {
  for (const id of ENV_IDS) {
    it(`${id} draws its state, an action overlay and a caption, scaled to the canvas`, () => {
      const env = getEnv(id);
      const s0 = env.reset(3);
      let s1 = s0;
      for (let t = 0; t < 25; t++) s1 = env.step(s1, env.expert(s1)).state;
      const a = draw(id, s0);
      const b = draw(id, s1);
      const withAction = draw(id, s0, { action: visibleAction(env), actionColor: '#ff00ff' });
      const withCaption = draw(id, s0, { caption: 't = 37' });
      fs.writeFileSync(path.join(OUT, `${id}.png`), a.canvas.toBuffer('image/png'));
      fs.writeFileSync(path.join(OUT, `${id}-action.png`), withAction.canvas.toBuffer('image/png'));
      expect(foreground(a.pixels), 'a real picture, not a blank canvas').toBeGreaterThan(1000);
      expect(differing(a.pixels, b.pixels), 'different states look different').toBeGreaterThan(30);
      expect(differing(a.pixels, withAction.pixels), 'the action overlay shows').toBeGreaterThan(20);
      let magenta = 0;
      for (let i = 0; i < withAction.pixels.length; i += 4) if (withAction.pixels[i]! > 200 && withAction.pixels[i + 1]! < 60 && withAction.pixels[i + 2]! > 200) magenta++;
      expect(magenta, 'in the requested colour').toBeGreaterThan(10);
      expect(differing(a.pixels, withCaption.pixels), 'the caption shows').toBeGreaterThan(10);
      // Scaled to the canvas: a larger canvas has proportionally more foreground.
      const big = draw(id, s0, undefined, 640, 400);
      expect(foreground(big.pixels)).toBeGreaterThan(2.5 * foreground(a.pixels));
    });
  }
});
