/**
 * Crowd labeling: a participant arrives through a study link with an external id, labels a capped number
 * of tasks (gold states among them), and gets a completion code; a revoked link is refused.
 */
import { expect, test, type APIRequestContext } from '@playwright/test';
import { E2E_ADMIN, screenshot, signIn } from './fixtures';

test.setTimeout(180_000);

async function trpc<T>(request: APIRequestContext, proc: string, input: unknown, kind: 'query' | 'mutation' = 'mutation'): Promise<T> {
  const res =
    kind === 'query'
      ? await request.get(`/api/trpc/${proc}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`)
      : await request.post(`/api/trpc/${proc}`, { data: { json: input } });
  const body = await res.json();
  if (!res.ok()) throw new Error(`${proc}: ${JSON.stringify(body)}`);
  return body.result.data.json as T;
}

test('a crowd participant labels a capped number of tasks and gets a completion code; revoked links are refused', async ({ page, browser }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const api = page.request;
  const { id: projectId } = await trpc<{ id: number }>(api, 'project.create', {
    name: 'Crowd study',
    envId: 'CartPole-v1',
    config: { seed: 3, goldRate: 0.5, selection: { strategy: 'stride', k: 5, budget: 60 }, policy: { hidden: [32], epochs: 20 } },
  });
  await trpc(api, 'round.demonstrate', { projectId, episodes: 1, thenTrain: true });
  await expect.poll(async () => (await trpc<{ rounds: { phase: string }[] }>(api, 'project.get', { projectId }, 'query')).rounds[0]?.phase, { timeout: 60_000 }).toBe('done');
  await trpc(api, 'round.start', { projectId });
  await expect.poll(async () => (await trpc<{ rounds: { phase: string }[] }>(api, 'project.get', { projectId }, 'query')).rounds[1]?.phase, { timeout: 60_000 }).toBe('labeling');
  const invite = await trpc<{ id: number; path: string }>(api, 'invite.create', { projectId, kind: 'crowd', maxUses: 10, taskCap: 8 });

  const ctx = await browser.newContext();
  const worker = await ctx.newPage();
  await worker.goto(`${invite.path}?pid=prolific-4711`);
  await expect(worker).toHaveURL(/\/label/);
  for (let i = 0; i < 8; i++) {
    const task = worker.getByTestId('task');
    await expect(task).toBeVisible();
    await worker.keyboard.press(i % 2 ? 'ArrowLeft' : 'ArrowRight');
  }
  await expect(worker.getByTestId('completion-code')).toHaveText(/^[0-9A-F]{12}$/, { timeout: 30_000 });
  await screenshot(worker, 'crowd-completion');
  await ctx.close();

  // The researcher sees the participant's gold answers.
  const stats = await trpc<{ email: string; labels: number; goldTotal: number }[]>(api, 'project.labelers', { projectId }, 'query');
  const participant = stats.find((s) => s.email.startsWith('crowd-'));
  expect(participant?.labels).toBe(8);
  expect(participant?.goldTotal).toBeGreaterThanOrEqual(1);

  await trpc(api, 'invite.revoke', { projectId, inviteId: invite.id });
  const late = await browser.newContext();
  const p2 = await late.newPage();
  const res = await p2.goto(`/api/join?token=${invite.path.split('/').pop()}&pid=late-arrival`);
  expect(res?.status()).toBe(403);
  await expect(p2.getByRole('alert')).toHaveText('This link has been revoked');
  await late.close();
});
