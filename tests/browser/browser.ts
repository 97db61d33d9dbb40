import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inject } from 'vitest';

export const SCREENSHOT_DIR = path.resolve('test-results/screenshots');

export async function launch(): Promise<Browser> {
  const executablePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Logs in with the demo account global-setup's app seeded (its password is in secrets.json). */
export async function logInAsDemo(page: Page): Promise<void> {
  const baseUrl = inject('baseUrl');
  const secrets = JSON.parse(readFileSync(path.join(inject('dataDir'), 'secrets.json'), 'utf8')) as { DEMO_PASSWORD: string };
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill('demo@lora.studio.local');
  await page.getByLabel('Password').fill(secrets.DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${baseUrl}/dashboard`);
}
