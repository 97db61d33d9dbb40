import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { APIRequestContext, Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { identitySet } from '../images/synthetic.ts';
import { launch, screenshot } from './browser.ts';
import { unzip } from '../helpers/unzip.ts';

// Use a LoRA in a real Chromium against `next start`: a version trained for real (photos
// uploaded through the API, a job with consent, the unmodified reference worker on the
// cpu-reference backend), then activate at 0.8 on the Versions tab → compile for SDXL in
// Prompt Studio (the <lora:…> block is there) → switch to Sora 2 (no tag) → export the
// Character Pack and open the downloaded zip.

const baseUrl = inject('baseUrl');
const secrets = () => JSON.parse(readFileSync(path.join(inject('dataDir'), 'secrets.json'), 'utf8')) as { DEMO_PASSWORD: string; LOCAL_WORKER_TOKEN: string };
let browser: Browser;
let worker: ChildProcess | undefined;

beforeAll(async () => {
  browser = await launch();
  // Our own worker, exactly as `npm start` runs one beside the app, so this file does not
  // depend on which workers the shared set-up starts (a second worker only adds capacity).
  worker = spawn(process.execPath, [path.resolve('packages/worker/dist/cli.js'), '--control-plane', baseUrl, '--token', secrets().LOCAL_WORKER_TOKEN, '--backend', 'cpu-reference', '--name', 'prompt-studio-worker', '--gpu', 'none'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
});

afterAll(async () => {
  await browser?.close();
  if (worker && worker.exitCode === null) {
    worker.kill('SIGTERM');
    await new Promise((r) => worker!.once('exit', r));
  }
});

async function api(request: APIRequestContext, method: 'GET' | 'POST', url: string, data?: unknown, headers: Record<string, string> = {}) {
  const res = await request.fetch(`${baseUrl}${url}`, { method, data, headers: { origin: baseUrl, ...headers } });
  const body = await res.json();
  if (!res.ok()) throw new Error(`${method} ${url} → ${res.status()} ${JSON.stringify(body)}`);
  return body;
}

/** A LoRA with a real version: 15 photos uploaded and validated, trained by the worker. */
async function trainedLora(page: Page): Promise<{ modelId: string; trigger: string }> {
  const request = page.request;
  const model = await api(request, 'POST', '/api/lora/models', { name: 'Studio Eileen', kind: 'identity', trigger_word: 'eilnx', description: 'a woman with short brown hair' });
  const photos = await identitySet(15);
  const init = await api(request, 'POST', '/api/lora/datasets/init', {
    model_id: model.id,
    files: photos.map((p, i) => ({ name: `eileen-${i + 1}.jpg`, size: p.length, content_type: 'image/jpeg' })),
  });
  for (const [i, u] of (init.uploads as { url: string; headers: Record<string, string> }[]).entries()) {
    const res = await request.fetch(u.url, { method: 'PUT', headers: u.headers, data: photos[i]! });
    expect(res.status()).toBeLessThan(300);
  }
  await api(request, 'POST', '/api/lora/datasets/commit', {
    dataset_id: init.dataset_id,
    files: (init.uploads as { key: string }[]).map((u, i) => ({ key: u.key, sha256: createHash('sha256').update(photos[i]!).digest('hex') })),
  });
  const validated = await api(request, 'POST', '/api/lora/datasets/validate', { dataset_id: init.dataset_id, base_model: 'sdxl-base-1.0' });
  expect(validated.status).toBe('ready');
  const job = await api(
    request,
    'POST',
    '/api/lora/jobs',
    {
      model_id: model.id,
      dataset_id: init.dataset_id,
      base_model: 'sdxl-base-1.0',
      target_platform: 'sdxl',
      params: { steps: 30, rank: 4, alpha: 4 },
      consent: { accepted: true, statement_version: 'v1', statement: 'I have the rights to these images and consent to training on them' },
    },
    { 'idempotency-key': `browser-${Date.now()}` },
  );
  await expect
    .poll(async () => (await api(request, 'GET', `/api/lora/jobs/${job.id}`)).status, { timeout: 180_000, interval: 1000 })
    .toBe('succeeded');
  return { modelId: model.id, trigger: model.trigger_word };
}

describe('Prompt Studio', () => {
  it('activate at 0.8 → SDXL compile shows the <lora:…> block → Sora 2 has no tag → the pack downloads with its manifest and images', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('Email').fill('demo@lora.studio.local');
    await page.getByLabel('Password').fill(secrets().DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${baseUrl}/dashboard`);
    const { modelId, trigger } = await trainedLora(page);

    // Versions tab: the trained version, activated at 0.8 with the slider.
    await page.goto(`${baseUrl}/loras/${modelId}`);
    await page.getByRole('tab', { name: /Versions/ }).click();
    const row = page.locator('[data-testid="version-row"][data-version="1"]');
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('ready');
    expect(await row.textContent()).toMatch(/Stable Diffusion XL base 1\.0.*rank 4.*kohya/);
    await row.getByRole('button', { name: 'Activate v1' }).click();
    const dialog = page.getByTestId('activate-dialog');
    await dialog.waitFor();
    const thumb = dialog.getByRole('slider', { name: 'LoRA weight' });
    await thumb.focus();
    await page.keyboard.press('End');
    expect(await dialog.getByTestId('weight-value').textContent()).toBe('1.50');
    for (let i = 0; i < 14; i++) await page.keyboard.press('ArrowLeft');
    expect(await dialog.getByTestId('weight-value').textContent()).toBe('0.80');
    await screenshot(page, 'versions-activate');
    await dialog.getByTestId('confirm-activate').click();
    await page.getByTestId('active-badge').waitFor();
    expect(await page.getByTestId('active-badge').textContent()).toContain('0.80');
    await screenshot(page, 'versions-tab');

    // Prompt Studio: SDXL → the LoRA block, with the tag and the trigger word.
    await page.goto(`${baseUrl}/prompt-studio`);
    expect(await page.getByTestId('active-identity').textContent()).toContain('Studio Eileen v1 · weight 0.80');
    await page.getByLabel('Profile').click();
    expect(await page.getByText('LoRA pipelines', { exact: true }).count()).toBe(1);
    expect(await page.getByText('Character Pack platforms', { exact: true }).count()).toBe(1);
    expect(await page.getByText('LLM serving', { exact: true }).count()).toBe(1);
    await page.getByTestId('profile-option-sdxl').click();
    await page.getByLabel('Scene').fill('walking along a pier at golden hour');
    await page.getByTestId('compile').click();
    const loraBlock = page.locator('[data-testid="prompt-block"][data-block-id="lora_block"]');
    await loraBlock.waitFor();
    expect(await loraBlock.textContent()).toBe(`<lora:Studio_Eileen-v1:0.8> ${trigger}`);
    expect(await loraBlock.getAttribute('data-source')).toBe('identity');
    const order = await page.getByTestId('prompt-block').evaluateAll((els) => els.map((e) => e.getAttribute('data-block-id')));
    expect(order).toEqual(['base_prompt', 'system_prompt_core', 'lora_block', 'user_content']);
    await screenshot(page, 'prompt-studio-sdxl');

    // Switch to Sora 2: recompiled at once, no tag, no trigger word, identity in words.
    await page.getByLabel('Profile').click();
    await page.getByTestId('profile-option-sora-2').click();
    await page.locator('[data-testid="prompt-block"][data-block-id="identity_description"]').waitFor();
    const final = (await page.getByTestId('final-prompt').textContent()) ?? '';
    expect(final).not.toContain('<lora');
    expect(final).not.toContain(trigger);
    expect(final).toContain('short brown hair');
    expect(await loraBlock.count()).toBe(0);
    await screenshot(page, 'prompt-studio-sora');

    // Export the pack: a real download, opened as a zip.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-pack').click()]);
    expect(download.suggestedFilename()).toBe('character-pack-sora-2-Studio_Eileen-v1.zip');
    const entries = await unzip(readFileSync((await download.path())!));
    const manifest = JSON.parse(entries.get('manifest.json')!.toString());
    const images = [...entries.keys()].filter((n) => n.startsWith('images/'));
    expect(images.length).toBeGreaterThan(0);
    expect(manifest.images.map((i: { file: string }) => i.file)).toEqual(images);
    for (const name of images) {
      const meta = await sharp(entries.get(name)!).metadata();
      expect(meta.format).toBe('jpeg');
      expect(meta.exif).toBeUndefined();
    }
    expect(entries.get('prompt.txt')!.toString()).toBe(`${final}\n`);
    expect(entries.get('README.md')!.toString()).toContain('# Character Pack — Sora 2');
    await page.getByTestId('pack-done').waitFor();
    await screenshot(page, 'prompt-studio-pack');
    await page.close();
  }, 420_000);
});
