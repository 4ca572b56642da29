/** Every environment draws on a real canvas (@napi-rs/canvas, Skia) without a browser. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { ENV_IDS, getEnv } from './registry';
import type { Ctx2D } from './types';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'env-render-'));

function draw(id: string, state: unknown, action?: unknown) {
  const canvas = createCanvas(320, 200);
  const ctx = canvas.getContext('2d') as unknown as Ctx2D;
  getEnv(id).render(ctx, state, action === undefined ? { caption: id } : { action: action as number, caption: id });
  return { canvas, pixels: canvas.getContext('2d').getImageData(0, 0, 320, 200).data };
}

function differing(a: Uint8ClampedArray, b: Uint8ClampedArray): number {
  let n = 0;
  for (let i = 0; i < a.length; i += 4) if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) n++;
  return n;
}

describe('renderers', () => {
  for (const id of ENV_IDS) {
    it(`${id} draws its state and an action overlay`, () => {
      const env = getEnv(id);
      const s0 = env.reset(3);
      let s1 = s0;
      for (let t = 0; t < 15; t++) s1 = env.step(s1, env.expert(s1)).state;
      const a = draw(id, s0);
      const b = draw(id, s1);
      const withAction = draw(id, s0, env.expert(s0));
      fs.writeFileSync(path.join(out, `${id}.png`), a.canvas.toBuffer('image/png'));
      // Not a blank canvas: many pixels differ from the background colour of the top-left corner.
      const bg = a.pixels.slice(0, 4);
      let drawn = 0;
      for (let i = 0; i < a.pixels.length; i += 4) if (a.pixels[i] !== bg[0] || a.pixels[i + 1] !== bg[1] || a.pixels[i + 2] !== bg[2]) drawn++;
      expect(drawn).toBeGreaterThan(500);
      expect(differing(a.pixels, b.pixels), 'different states look different').toBeGreaterThan(20);
      if (!(id === 'MountainCar-v0' && env.expert(s0) === 1)) expect(differing(a.pixels, withAction.pixels), 'the action overlay shows').toBeGreaterThan(10);
    });
  }
});
