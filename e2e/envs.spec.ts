import { expect, test } from '@playwright/test';
import { screenshot } from './fixtures';

test('every environment renders in the browser', async ({ page }) => {
  await page.goto('/envs');
  const ids = ['CartPole-v1', 'MountainCar-v0', 'MountainCarContinuous-v0', 'Acrobot-v1', 'Pendulum-v1', 'LunarLander-v3', 'LaneFollow-v0'];
  for (const id of ids) {
    const canvas = page.getByTestId(`canvas-${id}`);
    await expect(canvas).toBeVisible();
    // The canvas holds a drawing: many distinct colours, not a blank fill.
    const colours = await canvas.evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const set = new Set<number>();
      for (let i = 0; i < d.length; i += 16) set.add((d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!);
      return set.size;
    });
    expect(colours, id).toBeGreaterThan(3);
    await canvas.screenshot({ path: `e2e-artifacts/screenshots/env-${id}.png` });
  }
  await screenshot(page, 'environments');
});
