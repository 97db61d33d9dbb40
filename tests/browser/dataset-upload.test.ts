import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { faceScene, heicHeader, identitySet, landscape } from '../images/synthetic.ts';
import { launch, screenshot } from './browser.ts';

// The LoRA page in a real Chromium against `next start`: create a LoRA, drag 20 real face
// photos onto the drop zone, upload them with per-file progress, validate, read the report
// and check the training gate. The synthetic set is one woman's face, always frontal, so the
// engine's verdict is "warn" with the pose coverage reason only (see tests/datasets/flow).

const baseUrl = inject('baseUrl');
let browser: Browser;
let photoDir: string;

beforeAll(async () => {
  browser = await launch();
  photoDir = mkdtempSync(path.join(os.tmpdir(), 'lora-browser-photos-'));
  const photos = await identitySet(20);
  photos.forEach((bytes, i) => writeFileSync(path.join(photoDir, `collins-${String(i + 1).padStart(2, '0')}.jpg`), bytes));
  writeFileSync(path.join(photoDir, 'IMG_0001.HEIC'), heicHeader());
  writeFileSync(path.join(photoDir, 'extra-copy-of-04.jpg'), photos[3]!);
  writeFileSync(path.join(photoDir, 'extra-someone-else.jpg'), await faceScene({ face: 'grace', seed: 7, scale: 1.3 }));
  writeFileSync(path.join(photoDir, 'extra-landscape.jpg'), await landscape(5));
});

const jpeg = (name: string) => ({ name, type: 'image/jpeg', bytes: readFileSync(path.join(photoDir, name)) });
afterAll(async () => {
  await browser?.close();
  if (photoDir) rmSync(photoDir, { recursive: true, force: true });
});

/** Real drag and drop: a DataTransfer holding File objects, dispatched as dragenter/dragover/drop. */
async function dragFilesOnto(page: Page, testId: string, files: { name: string; type: string; bytes: Buffer }[]) {
  const dataTransfer = await page.evaluateHandle(
    (list) => {
      const dt = new DataTransfer();
      for (const f of list) {
        const bin = atob(f.b64);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        dt.items.add(new File([bytes], f.name, { type: f.type }));
      }
      return dt;
    },
    files.map((f) => ({ name: f.name, type: f.type, b64: f.bytes.toString('base64') })),
  );
  const zone = page.getByTestId(testId);
  await expect.poll(() => zone.isEnabled()).toBe(true); // hydrated
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  expect(await zone.textContent()).toContain('Drop the photos to add them');
  await zone.dispatchEvent('drop', { dataTransfer });
  await dataTransfer.dispose();
}

/** Records every aria-valuenow each upload row's bar and the overall bar take. */
async function recordProgress(page: Page) {
  await page.evaluate(() => {
    const seen: Record<string, number[]> = {};
    const w = window as unknown as { __progress: Record<string, number[]> };
    w.__progress = seen;
    const push = (name: string, v: string | null | undefined) => {
      if (v === null || v === undefined) return;
      const list = (seen[name] ??= []);
      if (list.at(-1) !== Number(v)) list.push(Number(v));
    };
    const record = () => {
      for (const row of document.querySelectorAll('[data-testid="upload-row"]')) {
        push(row.getAttribute('data-filename')!, row.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow'));
      }
      push('__overall', document.querySelector('[data-testid="overall-progress"]')?.getAttribute('aria-valuenow'));
    };
    record();
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow', 'data-state'] });
  });
}

const nonDecreasing = (xs: number[]) => xs.every((x, i) => i === 0 || x >= xs[i - 1]!);

describe('LoRA page: upload, validate, report', () => {
  it('drags 20 photos in, shows per-file progress, validates and gates training on the verdict', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // Playwright starts intercepting file pickers only once someone listens; listening from
    // the start means the keyboard-opened picker below cannot race that set-up.
    page.on('filechooser', () => undefined);
    const email = `uploader-${Date.now()}@example.test`;
    await page.goto(`${baseUrl}/signup`);
    await page.getByLabel('Name').fill('Eileen Uploader');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct-horse-battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${baseUrl}/dashboard`);

    // Create the LoRA from the UI (identity is the default kind; the trigger word is generated).
    await page.goto(`${baseUrl}/loras`);
    await page.getByText('No LoRAs yet').waitFor();
    await screenshot(page, 'loras-empty');
    await page.getByLabel('Name').fill('Eileen portrait');
    await page.getByRole('button', { name: 'Create LoRA' }).click();
    await page.waitForURL(/\/loras\/lm_[a-z2-7]+$/);
    await page.getByRole('heading', { name: 'Eileen portrait' }).waitFor();
    expect(await page.getByTestId('trigger-word').textContent()).toMatch(/^[a-z]{4}\d$/);
    expect(await page.getByTestId('upload-guidance').textContent()).toBe('20 photos, at least 15, different angles, one person, no sunglasses or group shots.');

    // Two separate dropdowns: trainable bases only in one, platforms only in the other.
    await page.getByLabel('Trainable Base Model').click();
    const bases = await page.getByRole('option').allTextContents();
    expect(bases.map((t) => t.replace(/(Flux|SDXL)$/, ''))).toEqual(['FLUX.1 [dev]', 'FLUX.1 [schnell]', 'Stable Diffusion XL base 1.0']);
    await page.keyboard.press('Escape');
    await page.getByLabel('Target Platform').click();
    const platforms = (await page.getByRole('option').allTextContents()).join('|');
    for (const name of ['Sora 2 Pro Max', 'Sora 2', 'Sora 2 Pro', 'Veo 3.1 Fast', 'Veo 3.1', 'Grok 3', 'SDXL pipeline', 'Flux pipeline']) expect(platforms).toContain(name);
    expect(platforms).not.toMatch(/FLUX\.1|Stable Diffusion XL base/);
    await page.getByRole('option', { name: /Sora 2 Pro Max/ }).click();
    expect(await page.getByLabel('Target Platform').textContent()).toContain('Sora 2 Pro Max');

    // Drag the 20 JPEGs onto the zone.
    const jpegs = readdirSync(photoDir).filter((f) => f.startsWith('collins-')).sort();
    expect(jpegs).toHaveLength(20);
    await dragFilesOnto(page, 'drop-zone', jpegs.map(jpeg));
    await expect.poll(() => page.locator('[data-testid="upload-row"][data-state="ready"]').count()).toBe(20);
    // Previews are real: every row's thumbnail decodes.
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('[data-testid="upload-row"] img')].every((i) => i.complete && i.naturalWidth > 0));

    await recordProgress(page);
    // Throttle uploads so the bars visibly move (and a mid-upload screenshot shows them).
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 10, downloadThroughput: -1, uploadThroughput: 1_000_000 });
    await page.getByRole('button', { name: 'Upload 20 photos' }).click();
    await page.locator('[data-testid="upload-row"][data-state="uploading"]').first().waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="upload-row"][data-state="done"], [data-testid="upload-row"][data-state="uploaded"]').length >= 4);
    await screenshot(page, 'dataset-uploading');
    await page.getByTestId('upload-notice').waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('upload-notice').textContent()).toContain('20 photos added to the dataset.');

    const rows = page.getByTestId('upload-row');
    expect(await rows.count()).toBe(20);
    for (const row of await rows.all()) {
      expect(await row.getAttribute('data-state')).toBe('done');
      expect(await row.getByTestId('upload-status').textContent()).toBe('Uploaded');
      expect(await row.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    }
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await screenshot(page, 'dataset-uploaded');
    const progress = await page.evaluate(() => (window as unknown as { __progress: Record<string, number[]> }).__progress);
    for (const name of jpegs) {
      const seen = progress[name] ?? [];
      expect(seen[0], name).toBe(0);
      expect(seen.at(-1), name).toBe(100);
      expect(nonDecreasing(seen), `${name}: ${seen.join(',')}`).toBe(true);
    }
    // Throttled, the bars pass through values between 0 and 100, not just the two ends.
    expect(Object.values(progress).some((seen) => seen.some((v) => v > 0 && v < 100))).toBe(true);
    expect(progress.__overall?.at(-1)).toBe(100);
    expect(nonDecreasing(progress.__overall ?? [])).toBe(true);

    // The committed thumbnails replace the previews; training waits for validation.
    await expect.poll(() => page.getByTestId('photo-tile').count()).toBe(20);
    // The dataset keeps the order the files were dropped in, not the order uploads finished.
    expect(await page.getByTestId('photo-tile').locator('p').allTextContents()).toEqual(jpegs);
    await page.waitForFunction(() => {
      const imgs = [...document.querySelectorAll<HTMLImageElement>('[data-testid="photo-grid"] img')];
      return imgs.length === 20 && imgs.every((i) => i.complete && i.naturalWidth > 0);
    });
    await page.getByRole('tab', { name: /Training/ }).click();
    expect(await page.getByTestId('start-training').isDisabled()).toBe(true);
    expect(await page.getByTestId('start-training-why').textContent()).toContain('Validate the dataset first');
    await page.getByRole('tab', { name: /Dataset/ }).click();
    await page.getByRole('button', { name: 'Clear finished' }).click();
    expect(await rows.count()).toBe(0);

    // Validate and read the report.
    await page.getByTestId('validate-dataset').click();
    expect(await page.getByTestId('validate-dataset').textContent()).toContain('Validating');
    const banner = page.getByTestId('verdict-banner');
    await banner.waitFor({ timeout: 180_000 });
    expect(await banner.getAttribute('data-verdict')).toBe('warn');
    expect(await banner.locator('[data-code]').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')))).toEqual(['pose_coverage']);
    expect(await banner.textContent()).toMatch(/Poses: 20 frontal; no photo turned left or turned right\./);
    expect(await page.getByTestId('count-usable').textContent()).toBe('20');
    expect(await page.getByTestId('count-rejected').textContent()).toBe('0');
    const pose = page.getByTestId('pose-coverage');
    expect(await pose.locator('[data-pose="frontal"]').getAttribute('data-present')).toBe('true');
    for (const side of ['left', 'right', 'up', 'down']) expect(await pose.locator(`[data-pose="${side}"]`).getAttribute('data-present')).toBe('false');
    expect(await page.getByTestId('duplicates').textContent()).toContain('No exact copies or near-duplicates');
    expect(await page.getByTestId('identity-outliers').textContent()).toContain('All 20 faces match each other');
    expect(await page.locator('[data-testid="photo-tile"][data-status="ok"]').count()).toBe(20);
    // A photo's badge opens what was found in it.
    await page.getByTestId('photo-tile').first().getByRole('button', { name: /Show details/ }).click();
    expect(await page.getByTestId('photo-detail').textContent()).toContain('No problems found in this photo.');
    await page.getByRole('button', { name: 'Close photo details' }).click();

    const file = await screenshot(page, 'dataset-report');
    expect(existsSync(file)).toBe(true);

    // The verdict is not block: training may start once consent is given. This new account is
    // on the Free plan, so the server refuses (402) and the page says who can change that.
    await page.getByRole('tab', { name: /Training/ }).click();
    const start = page.getByTestId('start-training');
    expect(await start.isDisabled()).toBe(true);
    expect(await page.getByTestId('start-training-why').textContent()).toContain('Tick the consent statement');
    await page.getByLabel('I have the rights to these images and consent to training on them').check();
    expect(await start.isEnabled()).toBe(true);
    expect(await page.getByTestId('start-training-why').textContent()).toContain('Validated with warnings');
    await start.click();
    await page.getByTestId('start-problem').waitFor();
    expect(await page.getByTestId('start-problem').textContent()).toMatch(/not included in the Free plan.*an operator can move this workspace to the Pro plan/);
    await screenshot(page, 'dataset-training-tab');

    // The datasets list shows it as ready and links back to the LoRA, whose page renders the
    // stored report on the server.
    const loraUrl = page.url();
    await page.goto(`${baseUrl}/datasets?status=ready`);
    const row = page.getByTestId('dataset-row');
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toMatch(/Eileen portrait.*Ready.*Warnings.*20/);
    await screenshot(page, 'datasets-list');
    await row.getByRole('link', { name: 'Eileen portrait', exact: true }).click();
    await page.waitForURL(loraUrl);
    expect(await page.getByTestId('verdict-banner').getAttribute('data-verdict')).toBe('warn');
    await page.goto(`${baseUrl}/datasets?status=failed`);
    await page.getByText('No datasets match these filters').waitFor();

    // A HEIC picked with the keyboard (the zone is a button; Enter opens the picker) gets the
    // clear "convert to JPEG" message and is never uploaded.
    await page.goto(loraUrl);
    const zone = page.getByTestId('drop-zone');
    await expect.poll(() => zone.isEnabled()).toBe(true); // hydrated
    await zone.focus();
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Enter')]);
    await chooser.setFiles(path.join(photoDir, 'IMG_0001.HEIC'));
    const heic = page.locator('[data-testid="upload-row"][data-filename="IMG_0001.HEIC"]');
    await heic.waitFor();
    expect(await heic.getAttribute('data-state')).toBe('refused');
    expect(await heic.getByTestId('upload-error').textContent()).toMatch(/^IMG_0001\.HEIC is a HEIC\/HEIF photo\. Convert it to JPEG first/);
    expect(await page.getByRole('button', { name: 'Upload photos' }).isDisabled()).toBe(true);
    await screenshot(page, 'dataset-heic');

    // Removing a photo sends the set back to "needs validation" and closes the gate again.
    await page.getByRole('button', { name: 'Remove collins-01.jpg from the dataset' }).click();
    await expect.poll(() => page.getByTestId('photo-tile').count()).toBe(19);
    expect(await page.getByTestId('validation-state').textContent()).toContain('Not validated yet');
    expect(await page.getByTestId('verdict-banner').count()).toBe(0);
    await page.getByRole('tab', { name: /Training/ }).click();
    expect(await page.getByTestId('start-training').isDisabled()).toBe(true);

    await page.goto(`${baseUrl}/loras`);
    expect(await page.getByTestId('lora-list').getByRole('link').allTextContents()).toEqual([expect.stringContaining('Eileen portrait')]);
    await screenshot(page, 'loras-list');
    await page.close();
  }, 420_000);

  it('photos added later join the same dataset; the report shows the copy, the other person and the photo without a face', async () => {
    const secrets = JSON.parse(readFileSync(path.join(inject('dataDir'), 'secrets.json'), 'utf8')) as { DEMO_PASSWORD: string };
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('Email').fill('demo@lora.studio.local');
    await page.getByLabel('Password').fill(secrets.DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${baseUrl}/dashboard`);
    await page.goto(`${baseUrl}/loras`);
    await page.getByLabel('Name').fill('Mixed set');
    await page.getByLabel('Trigger word').fill('mxdset');
    await page.getByRole('button', { name: 'Create LoRA' }).click();
    await page.waitForURL(/\/loras\/lm_/);
    expect(await page.getByTestId('trigger-word').textContent()).toBe('mxdset');

    const upload = async (names: string[]) => {
      await dragFilesOnto(page, 'drop-zone', names.map(jpeg));
      await page.getByRole('button', { name: `Upload ${names.length} photos` }).click();
      await page.getByTestId('upload-notice').waitFor({ timeout: 90_000 });
    };
    await upload(readdirSync(photoDir).filter((f) => f.startsWith('collins-')).sort());
    await upload(['extra-copy-of-04.jpg', 'extra-someone-else.jpg', 'extra-landscape.jpg']);
    await expect.poll(() => page.getByTestId('photo-tile').count()).toBe(23);

    await page.getByTestId('validate-dataset').click();
    const banner = page.getByTestId('verdict-banner');
    await banner.waitFor({ timeout: 180_000 });
    const tile = (name: string) => page.locator('[data-testid="photo-tile"]').filter({ hasText: name });
    // What the engine says about each planted problem, as the page shows it.
    expect(await banner.textContent()).toContain('"extra-copy-of-04.jpg" = "collins-04.jpg"');
    expect(await banner.textContent()).toContain('extra-someone-else.jpg');
    expect(await banner.textContent()).toMatch(/"extra-landscape\.jpg" \(no face\)/);
    expect(await tile('extra-copy-of-04.jpg').getAttribute('data-status')).toBe('rejected');
    expect(await tile('extra-landscape.jpg').getAttribute('data-status')).toBe('rejected');
    expect(await tile('extra-someone-else.jpg').getAttribute('data-outlier')).toBe('true');
    expect(await page.locator('[data-testid="photo-tile"][data-outlier="true"]').count()).toBe(1);
    const copies = page.getByTestId('exact-duplicate-group');
    expect(await copies.locator('[data-item-id]').allTextContents()).toEqual(['collins-04.jpg', 'extra-copy-of-04.jpg']);
    expect(await page.getByTestId('identity-outliers').textContent()).toContain('extra-someone-else.jpg');
    expect(await page.getByTestId('count-rejected').textContent()).toBe('2');
    await tile('extra-landscape.jpg').getByRole('button', { name: /Show details/ }).click();
    expect(await page.getByTestId('photo-detail').locator('[data-code="no_face"]').count()).toBe(1);
    await screenshot(page, 'dataset-report-problems');

    const verdict = await banner.getAttribute('data-verdict');
    await page.getByRole('tab', { name: /Training/ }).click();
    await page.getByLabel('I have the rights to these images and consent to training on them').check();
    expect(await page.getByTestId('start-training').isEnabled()).toBe(verdict !== 'block');

    // One LoRA, one dataset: the second batch was appended with init's dataset_id.
    await page.goto(`${baseUrl}/datasets`);
    expect(await page.getByTestId('dataset-row').filter({ hasText: 'Mixed set' }).count()).toBe(1);
    expect(await page.getByTestId('dataset-row').filter({ hasText: 'Mixed set' }).textContent()).toContain('23');
    await page.close();
  }, 420_000);
});
