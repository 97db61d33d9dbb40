import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { identitySet } from '../images/synthetic.ts';
import { launch, logInAsDemo, screenshot } from './browser.ts';

// Issue 4's acceptance, in a real Chromium against `next start` with the local worker that
// global-setup starts (pull mode, cpu-reference): from the UI, train on a validated dataset;
// the worker takes the job; the loss chart moves live; the job succeeds; the version shows
// checksum, size, rank and format. Then cancel and retry, each through its confirm dialog.

const baseUrl = inject('baseUrl');
const CONSENT = 'I have the rights to these images and consent to training on them';
// Enough steps that the run (and the stream of its ~100 metric points) lasts several seconds
// on the cpu-reference worker, so the chart is seen growing while the job is running.
const STEPS = '3000';
let browser: Browser;
let photoDir: string;

beforeAll(async () => {
  browser = await launch();
  photoDir = mkdtempSync(path.join(os.tmpdir(), 'lora-browser-train-'));
  (await identitySet(20)).forEach((bytes, i) => writeFileSync(path.join(photoDir, `ada-${String(i + 1).padStart(2, '0')}.jpg`), bytes));
});
afterAll(async () => {
  await browser?.close();
  if (photoDir) rmSync(photoDir, { recursive: true, force: true });
});

/** Points the loss line really draws: one per M/L command of the SVG path. */
const plottedPoints = (page: Page) =>
  page.evaluate(() => (document.querySelector('[data-testid="loss-chart"] path.recharts-line-curve')?.getAttribute('d')?.match(/[ML]/g) ?? []).length);

const monitorStatus = (page: Page) => page.getByTestId('job-monitor').getAttribute('data-status');

async function fillParam(page: Page, key: string, value: string) {
  await page.locator(`#param-${key}`).fill(value);
}

describe('training from the UI', () => {
  it('validated dataset → consent → start → live loss chart → verified version', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await logInAsDemo(page);

    await page.goto(`${baseUrl}/loras`);
    await page.getByLabel('Name').fill('Ada training');
    await page.getByRole('button', { name: 'Create LoRA' }).click();
    await page.waitForURL(/\/loras\/lm_[a-z2-7]+$/);
    const loraUrl = page.url();

    await expect.poll(() => page.getByTestId('drop-zone').isEnabled()).toBe(true); // hydrated
    await page.getByTestId('file-input').setInputFiles(Array.from({ length: 20 }, (_, i) => path.join(photoDir, `ada-${String(i + 1).padStart(2, '0')}.jpg`)));
    await page.getByRole('button', { name: 'Upload 20 photos' }).click();
    await page.getByTestId('upload-notice').waitFor({ timeout: 90_000 });
    await page.getByTestId('validate-dataset').click();
    await page.getByTestId('verdict-banner').waitFor({ timeout: 180_000 });
    expect(await page.getByTestId('verdict-banner').getAttribute('data-verdict')).not.toBe('block');

    // The training tab: preset of the chosen base, estimate, consent gate.
    await page.getByRole('tab', { name: /Training/ }).click();
    const start = page.getByTestId('start-training');
    expect(await page.getByTestId('preset-summary').textContent()).toBe('Preset: 1,000 steps · learning rate 0.0001 · 1024 px · rank 16 · alpha 16 · batch 1');
    expect(await page.getByTestId('training-estimate').textContent()).toMatch(/Estimated time: about 15 min–27 min on one GPU.*An estimate.*cpu-reference.*finishes in seconds/s);
    expect(await page.getByTestId('consent-statement').textContent()).toBe(CONSENT);
    expect(await start.isDisabled()).toBe(true);
    expect(await page.getByTestId('start-training-why').textContent()).toContain('Tick the consent statement');

    // Client-side range checks with the server's ranges; a bad field keeps the button off.
    await page.getByTestId('advanced-toggle').click();
    await fillParam(page, 'rank', '999');
    expect(await page.getByTestId('param-rank-error').textContent()).toBe('Between 1 and 256.');
    await fillParam(page, 'resolution', '1000');
    expect(await page.getByTestId('param-resolution-error').textContent()).toBe('Must be a multiple of 64.');
    await page.getByLabel(CONSENT).check();
    expect(await start.isDisabled()).toBe(true);
    expect(await page.getByTestId('start-training-why').textContent()).toContain('Fix the highlighted settings');
    await fillParam(page, 'resolution', '1024');
    await fillParam(page, 'rank', '8');
    await fillParam(page, 'alpha', '8');
    await fillParam(page, 'steps', STEPS);
    await fillParam(page, 'learning_rate', '0.005');
    await fillParam(page, 'sample_every', '1000');
    await fillParam(page, 'save_every', '1500');
    await fillParam(page, 'seed', '7');
    expect(await page.getByTestId('training-estimate').textContent()).toContain('3,000 steps');
    await screenshot(page, 'training-form');
    expect(await start.isEnabled()).toBe(true);

    await start.click();
    await page.waitForURL(/\/jobs\/job_[a-z2-7]+$/);
    const jobUrl = page.url();
    await page.getByTestId('job-monitor').waitFor();

    // The local worker leases it; the chart gets points while the job runs, and more later.
    await expect.poll(() => monitorStatus(page), { timeout: 60_000 }).toBe('running');
    await expect.poll(() => plottedPoints(page), { timeout: 60_000 }).toBeGreaterThan(0);
    const first = await plottedPoints(page);
    const statusAtFirstRead = await monitorStatus(page);
    await expect.poll(() => plottedPoints(page), { timeout: 60_000 }).toBeGreaterThan(first);
    expect(statusAtFirstRead).toBe('running');
    await page.mouse.move(0, 0);
    await screenshot(page, 'job-monitor-running');

    await expect.poll(() => monitorStatus(page), { timeout: 120_000 }).toBe('succeeded');
    const card = page.getByTestId('version-card');
    await card.waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('version-checksum').textContent()).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.getByTestId('version-size').textContent()).toMatch(/^\d+(\.\d+)? (B|KB|MB)$/);
    expect(await page.getByTestId('version-rank').textContent()).toBe('8');
    expect(await page.getByTestId('version-alpha').textContent()).toBe('8');
    expect(await page.getByTestId('version-format').textContent()).toBe('kohya');
    expect(await page.getByTestId('version-base').textContent()).toBe('FLUX.1 [dev]');
    expect(await page.getByTestId('stand-in-note').textContent()).toContain('stand-in');

    // Everything else the monitor shows, after the fact.
    expect(await page.getByTestId('stage-stepper').locator('[data-state="complete"]').count()).toBe(6);
    expect(await page.getByTestId('job-progress').getAttribute('aria-valuenow')).toBe('100');
    expect(await page.getByTestId('stat-lr').textContent()).not.toBe('–');
    expect(await page.getByTestId('stat-throughput').textContent()).toMatch(/samples\/s$/);
    expect(await page.getByTestId('job-logs').textContent()).toContain(`step ${STEPS}/${STEPS}`);
    await expect.poll(() => page.getByTestId('sample').count(), { timeout: 30_000 }).toBe(3);
    expect(await page.getByTestId('sample').evaluateAll((els) => els.map((e) => e.getAttribute('data-step')))).toEqual(['1000', '2000', '3000']);
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('[data-testid="sample"] img')].every((i) => i.complete && i.naturalWidth > 0));
    expect(await page.getByTestId('checkpoint').count()).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('stream-connection').getAttribute('data-state')).toBe('ended');
    await page.mouse.move(0, 0); // no chart tooltip in the screenshot
    const file = await screenshot(page, 'job-monitor');
    expect(file).toMatch(/job-monitor\.png$/);

    // A reload replays the history from the stream: same curve, same version.
    const finalPoints = await plottedPoints(page);
    await page.reload();
    await expect.poll(() => plottedPoints(page), { timeout: 30_000 }).toBe(finalPoints);
    expect(await page.getByTestId('version-checksum').textContent()).toMatch(/^[0-9a-f]{64}$/);

    // The jobs list: the run, its status, its LoRA; the status filter.
    await page.goto(`${baseUrl}/jobs`);
    const row = page.getByTestId('job-row').filter({ hasText: 'Ada training' });
    expect(await row.count()).toBe(1);
    expect(await row.getAttribute('data-status')).toBe('succeeded');
    expect(await row.textContent()).toMatch(/Version 1.*Succeeded.*100%.*Ada training.*FLUX\.1 \[dev\]/);
    await screenshot(page, 'jobs-list');
    await page.goto(`${baseUrl}/jobs?status=failed`);
    await page.getByText('No jobs with this status').waitFor();
    await page.goto(`${baseUrl}/jobs?status=succeeded`);
    await row.getByRole('link', { name: 'Version 1', exact: true }).click();
    await page.waitForURL(jobUrl);

    // Cancel a long run from the monitor (confirmed), then retry it (confirmed), then cancel again.
    await page.goto(loraUrl);
    await page.getByRole('tab', { name: /Training/ }).click();
    await page.getByTestId('advanced-toggle').click();
    await fillParam(page, 'steps', '100000');
    await page.getByLabel(CONSENT).check();
    await page.getByTestId('start-training').click();
    await page.waitForURL(/\/jobs\/job_[a-z2-7]+$/);
    const longUrl = page.url();
    expect(longUrl).not.toBe(jobUrl);
    await expect.poll(() => monitorStatus(page), { timeout: 60_000 }).toBe('running');

    // The list follows a live job without a reload.
    await page.goto(`${baseUrl}/jobs`);
    const liveRow = page.locator(`[data-testid="job-row"]:has(a[href="${new URL(longUrl).pathname}"])`);
    expect(await liveRow.getAttribute('data-status')).toBe('running');
    const firstProgress = await liveRow.getByRole('progressbar').getAttribute('aria-valuenow');
    await expect.poll(() => liveRow.getByRole('progressbar').getAttribute('aria-valuenow'), { timeout: 60_000 }).not.toBe(firstProgress);
    await liveRow.getByRole('link', { name: 'Version 2', exact: true }).click();
    await page.waitForURL(longUrl);
    await expect.poll(() => monitorStatus(page), { timeout: 30_000 }).toBe('running');
    await page.getByTestId('cancel-job').click();
    await page.getByRole('dialog', { name: 'Cancel this training job?' }).waitFor();
    await page.getByTestId('confirm-action').click();
    await expect.poll(() => monitorStatus(page), { timeout: 150_000 }).toBe('canceled');
    expect(await page.getByTestId('job-error').textContent()).toContain('Canceled');
    await page.getByTestId('retry-job').click();
    await page.getByRole('dialog', { name: 'Run this job again?' }).waitFor();
    await page.keyboard.press('Escape'); // a dismissed dialog does nothing
    expect(await monitorStatus(page)).toBe('canceled');
    await page.getByTestId('retry-job').click();
    await page.getByTestId('confirm-action').click();
    // Generous waits from here: the control plane rate-limits worker events per IP (1,200 a
    // minute) and the long run above used most of that; the worker backs off as told.
    await expect.poll(() => monitorStatus(page), { timeout: 150_000 }).toBe('running');
    expect(await page.getByTestId('job-monitor').textContent()).toContain('attempt 2 of');
    await page.getByTestId('cancel-job').click();
    await page.getByTestId('confirm-action').click();
    await expect.poll(() => monitorStatus(page), { timeout: 150_000 }).toBe('canceled');
    await screenshot(page, 'job-monitor-canceled');
    await page.close();
  }, 600_000);
});
