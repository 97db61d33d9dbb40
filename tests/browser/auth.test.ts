import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, screenshot } from './browser.ts';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('auth in a real browser', () => {
  it('signs up, logs out, logs in and sees the dashboard', async () => {
    const page = await browser.newPage();
    const email = `browser-${Date.now()}@example.test`;
    await page.goto(`${baseUrl}/signup`);
    await page.getByLabel('Name').fill('Browser Tester');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct-horse-battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${baseUrl}/dashboard`);
    await expect(page.getByRole('heading', { name: 'Welcome, Browser Tester' }).isVisible()).resolves.toBe(true);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(`${baseUrl}/login`);

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct-horse-battery');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${baseUrl}/dashboard`);
    expect(await page.getByTestId('current-user-email').textContent()).toBe(email);
    for (const label of ['Dashboard', 'LoRAs', 'Datasets', 'Jobs', 'Prompt Studio', 'Usage', 'Settings']) {
      expect(await page.getByRole('link', { name: label }).count()).toBeGreaterThan(0);
    }
    const file = await screenshot(page, 'auth-dashboard');
    expect(existsSync(file)).toBe(true);
    await page.close();
  });

  it('shows a clear error for a wrong password', async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('Email').fill('nobody@example.test');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('auth-error').waitFor();
    expect(await page.getByTestId('auth-error').textContent()).toMatch(/invalid|wrong/i);
    await page.close();
  });

  it('the printed demo login works', async () => {
    const secrets = JSON.parse(readFileSync(path.join(inject('dataDir'), 'secrets.json'), 'utf8')) as { DEMO_PASSWORD: string };
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/dashboard`);
    await page.waitForURL(/\/login/);
    await page.getByLabel('Email').fill('demo@lora.studio.local');
    await page.getByLabel('Password').fill(secrets.DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${baseUrl}/dashboard`);
    expect(await page.getByText('Pro', { exact: true }).count()).toBeGreaterThan(0);
    await screenshot(page, 'demo-dashboard');
    await page.close();
  });
});
