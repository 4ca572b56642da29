/** Segment mode: the rollout plays, the labeler holds a key, the queued states of the segment get it. */
import { expect, test, type APIRequestContext } from '@playwright/test';
import { E2E_ADMIN, screenshot, signIn } from './fixtures';

test.setTimeout(120_000);

async function trpc<T>(request: APIRequestContext, proc: string, input: unknown, kind: 'query' | 'mutation' = 'mutation'): Promise<T> {
  const res = kind === 'query' ? await request.get(`/api/trpc/${proc}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`) : await request.post(`/api/trpc/${proc}`, { data: { json: input } });
  const body = await res.json();
  if (!res.ok()) throw new Error(`${proc}: ${JSON.stringify(body)}`);
  return body.result.data.json as T;
}

test('segment mode labels consecutive states with the held key, marked as segment labels', async ({ page: admin, browser }) => {
  await signIn(admin, E2E_ADMIN.email, E2E_ADMIN.password);
  const api = admin.request;
  const { id: projectId } = await trpc<{ id: number }>(api, 'project.create', {
    name: 'Segment study',
    envId: 'LaneFollow-v0',
    config: { seed: 5, goldRate: 0, selection: { strategy: 'first', k: 12, budget: 12 }, policy: { hidden: [32], epochs: 20 } },
  });
  await trpc(api, 'round.demonstrate', { projectId, episodes: 1, thenTrain: true });
  await expect.poll(async () => (await trpc<{ rounds: { phase: string }[] }>(api, 'project.get', { projectId }, 'query')).rounds[0]?.phase, { timeout: 60_000 }).toBe('done');
  await trpc(api, 'round.start', { projectId });
  await expect.poll(async () => (await trpc<{ rounds: { phase: string }[] }>(api, 'project.get', { projectId }, 'query')).rounds[1]?.phase, { timeout: 60_000 }).toBe('labeling');

  // A labeler of this project only, so the queue holds LaneFollow states.
  await trpc(api, 'user.create', { email: 'segment@e2e.local', name: 'Seg', password: 'segment-password', role: 'labeler' });
  await trpc(api, 'project.addMember', { projectId, email: 'segment@e2e.local', role: 'labeler' });
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, 'segment@e2e.local', 'segment-password');
  await page.goto('/label');
  await expect(page.getByTestId('task')).toBeVisible();
  await page.getByTestId('segment-mode').click();
  await page.getByTestId('segment-start').click();
  await expect(page.getByTestId('segment-canvas')).toBeVisible();
  await page.keyboard.down('ArrowUp');
  await expect(page.getByRole('status').filter({ hasText: 'Segment done' })).toBeVisible({ timeout: 30_000 });
  await page.keyboard.up('ArrowUp');
  await screenshot(page, 'segment-mode');
  const status = await page.getByRole('status').filter({ hasText: 'Segment done' }).textContent();
  const [, labelled, total] = /(\d+) of (\d+) states labelled/.exec(status ?? '')!;
  expect(Number(total)).toBeGreaterThan(1);
  expect(Number(labelled)).toBe(Number(total));
  // The labels reach the server, marked as segment labels ("hold" = action 1).
  await expect
    .poll(async () => {
      const items = await trpc<{ items: { id: number; action: number }[] }>(api, 'dataset.list', { projectId, source: 'dagger' }, 'query');
      return items.items.length;
    }, { timeout: 20_000 })
    .toBe(Number(total));
  const { items } = await trpc<{ items: { id: number; action: number }[] }>(api, 'dataset.list', { projectId, source: 'dagger' }, 'query');
  expect(items.every((i) => i.action === 1)).toBe(true);
  const item = await trpc<{ labels: { mode: string }[] }>(api, 'dataset.item', { projectId, itemId: items[0]!.id }, 'query');
  expect(item.labels[0]?.mode).toBe('segment');
  await ctx.close();
});
