/**
 * A researcher creates an external project from the dashboard form (declared spaces instead of a built-in
 * environment), creates an API token on its page, a simulator uses that token to post a demonstration, and
 * the dataset downloads in every export format from the running server.
 */
import { expect, test } from '@playwright/test';
import { Http } from '../bench/load-lib';
import { E2E_ADMIN, signIn } from './fixtures';

test('an external project is created from the form and takes demonstrations with its token', async ({ page, baseURL }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto('/projects');
  const form = page.getByRole('form', { name: 'New project' });
  await form.getByLabel('Name').fill('E2E external arm');
  await form.getByLabel('Environment').selectOption({ label: 'External simulator (declare spaces)' });
  await form.getByLabel('Observation size').fill('3');
  await form.getByLabel('Action space').selectOption('box');
  await form.getByLabel('Action dimensions').fill('2');
  await form.getByLabel('Low (one value').fill('-1');
  await form.getByLabel('High (one value').fill('1, -3');
  await form.getByRole('button', { name: 'Create project' }).click();
  await expect(form.getByRole('alert').filter({ hasText: 'Each high bound must be above its low bound' })).toBeVisible();
  const api = new Http(baseURL!);
  await api.signIn(E2E_ADMIN.email, E2E_ADMIN.password);
  const names = async () => (await api.call<{ name: string }[]>('project.list', {}, 'query')).map((p) => p.name);
  expect(await names()).not.toContain('E2E external arm');

  await form.getByLabel('High (one value').fill('1, 3');
  await form.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByTestId('project-name')).toHaveText('E2E external arm');
  const projectId = Number(new URL(page.url()).pathname.split('/')[2]);
  const p = await api.call<{ envId: string | null; settings: { spaces: unknown; policy: { kind: string } } }>('project.get', { projectId }, 'query');
  expect(p.envId).toBeNull();
  expect(p.settings.spaces).toEqual({ observation: { size: 3 }, action: { kind: 'box', size: 2, low: [-1, -1], high: [1, 3] } });
  expect(p.settings.policy.kind).toBe('gaussian');

  // An API token from the project page; the simulator posts a demonstration with it.
  await page.getByLabel('Token name').fill('arm-rig');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByTestId('new-token').textContent())!.trim();
  const post = (observations: number[][], actions: number[][]) =>
    fetch(`${baseURL}/api/v1/projects/${projectId}/demonstrations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ observations, actions }),
    });
  expect((await post([[0, 0, 0]], [[0.5, 5]])).status).toBe(400); // outside the declared box
  const ok = await post(
    [
      [0, 0, 0],
      [0.1, 0.2, 0.3],
    ],
    [
      [0.5, 2],
      [-0.5, 1],
    ],
  );
  expect(ok.status).toBe(201);

  // The researcher downloads the dataset in each format through the running server.
  for (const [format, type, magic] of [
    ['jsonl', 'application/x-ndjson', '{'],
    ['npz', 'application/octet-stream', 'PK'],
    ['minari', 'application/zip', 'PK'],
  ] as const) {
    const res = await page.request.get(`/api/projects/${projectId}/dataset?format=${format}`);
    expect(res.status(), format).toBe(200);
    expect(res.headers()['content-type']).toContain(type);
    const body = await res.body();
    expect(body.subarray(0, magic.length).toString('latin1')).toBe(magic);
    if (format === 'minari') expect(body.includes(Buffer.from('data/main_data.hdf5'))).toBe(true);
    if (format === 'jsonl') expect(body.toString().trim().split('\n')).toHaveLength(2);
  }
  expect((await page.request.get(`/api/projects/${projectId}/dataset?format=parquet`)).status()).toBe(400);
});
