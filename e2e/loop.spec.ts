/**
 * The whole loop in a real browser: a researcher creates a LaneFollow-v0 project, records scripted
 * demonstrations and trains π₁; starts round 1; a labeler labels its 100 states with the keyboard; the round
 * closes, trains and deploys π₂; the dashboard shows two policy versions and the charts.
 * Also measures, in the page, how soon the next task is visible after each key press (printed, not asserted).
 */
import { expect, test } from '@playwright/test';
import { E2E_ADMIN, screenshot, signIn } from './fixtures';

test.setTimeout(300_000);

test('researcher and labeler run a DAgger round end to end', async ({ page, browser }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);

  // A labeler account.
  await page.goto('/users');
  const account = page.getByRole('form', { name: 'Create account' });
  await account.getByLabel('email').fill('labeler@e2e.local');
  await account.getByLabel('name').fill('Lab Eler');
  await account.getByLabel('password').fill('labeler-password');
  await account.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('users-table')).toContainText('labeler@e2e.local');

  // Project creation: a server-side field error first, then a valid form.
  await page.goto('/projects');
  const form = page.getByRole('form', { name: 'New project' });
  await form.getByRole('button', { name: 'Create project' }).click();
  await expect(form.getByRole('alert').first()).toBeVisible();
  await form.getByLabel('Name').fill('E2E lane keeping');
  await form.getByLabel('Environment').selectOption('LaneFollow-v0');
  await form.getByLabel('Budget (states / round)').fill('100');
  await form.getByLabel('Rollouts / round').fill('12');
  await screenshot(page, 'projects-new');
  await form.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByTestId('project-name')).toHaveText('E2E lane keeping');
  const projectUrl = page.url();

  // Round 0: scripted demonstrations, then behaviour cloning.
  await page.getByRole('button', { name: 'Record expert episodes' }).click();
  await expect(page.getByTestId('round-0')).toContainText(/dataset [1-9]/, { timeout: 60_000 });
  await page.getByTestId('close-round').click();
  await expect(page.getByTestId('round-0-phase')).not.toHaveText('labeling', { timeout: 15_000 });
  await expect(page.getByTestId('round-0-phase')).toHaveText('done', { timeout: 120_000 });
  await expect(page.getByTestId('deployed-version')).toContainText('v1');

  // Add the labeler, start round 1.
  const add = page.getByRole('form', { name: 'Add member' });
  await add.getByLabel('Add by email').fill('labeler@e2e.local');
  await add.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByTestId('members')).toContainText('labeler@e2e.local');
  await page.getByTestId('start-round').click();
  await expect(page.getByTestId('round-1-phase')).toHaveText('labeling', { timeout: 60_000 });
  await expect(page.getByTestId('round-1')).toContainText('0/100 states resolved', { timeout: 15_000 });
  await screenshot(page, 'dashboard-labeling');

  // The labeler, in their own browser context.
  const ctx = await browser.newContext();
  const lab = await ctx.newPage();
  await signIn(lab, 'labeler@e2e.local', 'labeler-password');
  await expect(lab).toHaveURL(/\/label/);
  await expect(lab.getByTestId('task')).toBeVisible();
  await screenshot(lab, 'label-workspace');
  for (let i = 0; i < 100; i++) {
    const task = lab.getByTestId('task');
    const id = await task.getAttribute('data-task-id');
    await lab.keyboard.press('ArrowUp');
    if (i < 99) await expect(task).not.toHaveAttribute('data-task-id', id ?? '', { timeout: 10_000 });
  }
  const timings = await lab.evaluate(() => window.__labelTimings ?? []);
  const sorted = [...timings].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  console.log(
    `[keyboard labeling] ${timings.length} key presses → next task visible: median ${pct(50).toFixed(1)} ms, p90 ${pct(90).toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms`,
  );
  expect(timings.length).toBeGreaterThanOrEqual(90);
  await expect(lab.getByText('No tasks are waiting for you.')).toBeVisible({ timeout: 30_000 });
  await ctx.close();

  // The round closes itself, retrains and deploys π₂.
  await page.goto(projectUrl);
  await expect(page.getByTestId('round-1-phase')).toHaveText('done', { timeout: 120_000 });
  await expect(page.getByTestId('deployed-version')).toContainText('v2');
  await expect(page.getByTestId('policy-versions').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('chart-return').locator('polyline')).toHaveCount(1);
  await screenshot(page, 'dashboard-two-versions');
  await page.getByTestId('run-baseline').click();
  await expect(page.getByTestId('chart-success')).toContainText('BC baseline success', { timeout: 60_000 });
  await page.getByTestId('watch-v2').click();
  await expect(page.getByTestId('policy-replay').getByTestId('replay-canvas')).toBeVisible();
  await screenshot(page, 'policy-replay');

  // Rollback to v1, and the dataset with provenance.
  await page.getByRole('button', { name: 'Roll back to this' }).click();
  await expect(page.getByTestId('deployed-version')).toContainText('v1');
  await page.getByRole('link', { name: 'Dataset' }).click();
  await expect(page.getByTestId('dataset-table')).toBeVisible();
  await page.getByLabel('Source').selectOption('dagger');
  await page.getByTestId('dataset-table').locator('tbody tr').first().click();
  await expect(page.getByTestId('dataset-item')).toContainText('labeler@e2e.local');
  await screenshot(page, 'dataset-review');

  // Narrow window: the pages still work.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(projectUrl);
  await expect(page.getByTestId('round-timeline')).toBeVisible();
  await screenshot(page, 'dashboard-narrow');
  await page.goto(`${projectUrl}/dataset`);
  await expect(page.getByTestId('dataset-table')).toBeVisible();
  await screenshot(page, 'dataset-narrow');
  await page.goto('/projects');
  await expect(page.getByTestId('project-list')).toContainText('E2E lane keeping');
  await screenshot(page, 'projects-narrow');
});
