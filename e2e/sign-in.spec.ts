import { expect, test } from '@playwright/test';
import { E2E_ADMIN, screenshot, signIn } from './fixtures';

test('a wrong password is refused with a message', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel('Email').fill(E2E_ADMIN.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await screenshot(page, 'sign-in-error');
});

test('the admin signs in and out', async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await expect(page).toHaveURL(/\/projects/);
  await expect(page.getByTestId('signed-in-as')).toContainText('admin');
  await screenshot(page, 'signed-in-admin');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
});
