import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, logInAsDemo, screenshot } from './browser.ts';

// Issue 7 in a real Chromium against `next start` and its local worker: create a chat LoRA,
// drop a conversation file with errors at known lines, follow the background validation to a
// report that lists each error on its line and field, configure Balanced on 1× A100 80 GB
// (the estimate follows the form), train on the local worker, watch the text monitor, and
// find the vLLM snippet naming the adapter on the Versions tab.

const baseUrl = inject('baseUrl');
const CONSENT = 'I have the rights to these conversations and consent to training on them';
let browser: Browser;
let dir: string;
let file: string;

const good = (i: number) =>
  JSON.stringify({
    messages: [
      { role: 'system', content: 'You are the Acme support assistant.' },
      { role: 'user', content: `How do I reset password number ${i}?` },
      { role: 'assistant', content: `Open Settings, choose Security, then Reset password ${i}. You will get an email within a minute.` },
    ],
  });

/** 60 lines; line 5 is not JSON, line 12 ends on a user turn, line 20 has an empty assistant message. */
function conversationFile(): string {
  const lines = Array.from({ length: 60 }, (_, i) => good(i + 1));
  lines[4] = '{"messages": [{"role": "user", "content": "unterminated"}';
  lines[11] = JSON.stringify({ messages: [{ role: 'user', content: 'Hello?' }] });
  lines[19] = JSON.stringify({ messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: '' }] });
  return `${lines.join('\n')}\n`;
}

/** About 20 MB of distinct conversations: uploaded in three signed parts. */
function bigFile(): { text: string; count: number } {
  const filler = 'Our records show the parcel left the depot this morning and will arrive tomorrow. '.repeat(20);
  const lines: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < 20 * 1024 * 1024; i++) {
    const line = JSON.stringify({ messages: [{ role: 'user', content: `Where is parcel ${i}?` }, { role: 'assistant', content: `Parcel ${i}: ${filler}` }] });
    lines.push(line);
    bytes += line.length + 1;
  }
  return { text: `${lines.join('\n')}\n`, count: lines.length };
}

let big: { path: string; count: number };

beforeAll(async () => {
  browser = await launch();
  dir = mkdtempSync(path.join(os.tmpdir(), 'lora-browser-text-'));
  file = path.join(dir, 'support-chats.jsonl');
  writeFileSync(file, conversationFile());
  const b = bigFile();
  big = { path: path.join(dir, 'parcels.jsonl'), count: b.count };
  writeFileSync(big.path, b.text);
});
afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a chat LoRA from the UI', () => {
  it('conversations → report by line → Balanced estimate → training → vLLM snippet', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await logInAsDemo(page);

    await page.goto(`${baseUrl}/loras`);
    await page.getByLabel('Name').fill('Support bot');
    await page.getByText('A text LoRA trained on conversations').click();
    await page.getByRole('button', { name: 'Create LoRA' }).click();
    await page.waitForURL(/\/loras\/lm_[a-z2-7]+$/);
    const loraUrl = page.url();

    // Upload and validation.
    await page.getByTestId('text-drop-zone').waitFor();
    await page.getByTestId('text-file-input').setInputFiles(file);
    await page.getByTestId('text-upload-start').click();
    await page.getByTestId('text-report').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('text-verdict').getAttribute('data-verdict')).toBe('ready');
    expect(await page.getByTestId('text-good-lines').textContent()).toContain('57 of 60 lines are good, 3 have errors');
    const rows = page.getByTestId('text-errors').locator('tbody tr');
    const errors = await rows.evaluateAll((trs) => trs.map((tr) => [Number(tr.getAttribute('data-line')), tr.getAttribute('data-path'), tr.getAttribute('data-code')]));
    expect(errors.map((e) => e[0])).toEqual([5, 12, 20]);
    expect(errors[0]![2]).toBe('invalid_json');
    expect(errors[1]).toEqual([12, 'messages[0].role', 'last_turn_not_assistant']);
    expect(errors[2]).toEqual([20, 'messages[1].content', 'empty_content']);
    expect(await page.getByTestId('stat-conversations').textContent()).toBe('57');
    expect(await page.getByTestId('tokenizer-note').textContent()).toMatch(/Tokens counted with .+approximation/);
    expect(await page.getByTestId('text-preview').locator('article').count()).toBe(3);
    await screenshot(page, 'text-dataset-report');

    // The configurator: Balanced by default, the estimate follows GPU changes.
    await page.getByRole('tab', { name: /Training/ }).click();
    expect(await page.getByTestId('preset-balanced').getAttribute('data-checked')).toBe('true');
    await page.getByTestId('gpu-type').selectOption('a100_80gb');
    await page.getByTestId('gpu-count').selectOption('1');
    await expect.poll(() => page.getByTestId('estimate-total').textContent(), { timeout: 15_000 }).toMatch(/\$\d/);
    // A small file: the start-up overhead dominates, so 8 GPUs cost about 8× as much.
    const oneGpu = await page.getByTestId('estimate-total').textContent();
    await page.getByTestId('gpu-count').selectOption('8');
    await expect.poll(() => page.getByTestId('estimate-total').textContent(), { timeout: 15_000 }).not.toBe(oneGpu);
    await page.getByTestId('gpu-count').selectOption('1');
    await expect.poll(() => page.getByTestId('estimate-total').textContent(), { timeout: 15_000 }).toBe(oneGpu);
    const start = page.getByTestId('start-text-training');
    expect(await start.isDisabled()).toBe(true);
    await page.getByLabel(CONSENT).check();
    await expect.poll(() => start.isEnabled()).toBe(true);
    await screenshot(page, 'text-configurator');

    // Training on the local worker, followed on the same monitor as image jobs.
    await start.click();
    await page.waitForURL(/\/jobs\/job_[a-z2-7]+$/);
    await page.getByTestId('job-monitor').waitFor();
    await expect.poll(() => page.getByTestId('job-monitor').getAttribute('data-status'), { timeout: 180_000 }).toBe('succeeded');
    expect(await page.getByTestId('stat-throughput').textContent()).toMatch(/tokens\/s$/);
    expect(await page.getByTestId('stat-gpu').textContent()).toContain('no GPU');
    await page.getByTestId('lr-chart').waitFor();
    await page.getByTestId('throughput-chart').waitFor();
    expect(await page.getByTestId('job-cost').textContent()).toMatch(/\$0\.00 so far of an estimated \$\d/);
    await page.mouse.move(0, 0);
    await screenshot(page, 'text-job-monitor');

    // The version: files, quality, and a vLLM snippet serving the adapter by name.
    await page.goto(loraUrl);
    await page.getByRole('tab', { name: /Versions/ }).click();
    await page.getByTestId('vllm-snippet').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('vllm-snippet').textContent()).toContain('--lora-modules support-bot-v1=');
    expect(await page.getByTestId('version-files').textContent()).toContain('adapter_config.json');
    expect(await page.getByTestId('convergence-label').textContent()).toBeTruthy();
    await screenshot(page, 'text-version');
    await page.close();
  }, 300_000);

  it('a 20 MB file goes up in signed parts, then validates in the background', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await logInAsDemo(page);
    await page.goto(`${baseUrl}/loras`);
    await page.getByLabel('Name').fill('Parcel bot');
    await page.getByText('A text LoRA trained on conversations').click();
    await page.getByRole('button', { name: 'Create LoRA' }).click();
    await page.waitForURL(/\/loras\/lm_[a-z2-7]+$/);
    const puts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'PUT') puts.push(r.url());
    });
    await page.getByTestId('text-file-input').setInputFiles(big.path);
    await page.getByTestId('text-upload-start').click();
    await page.getByTestId('text-report').waitFor({ timeout: 120_000 });
    expect(puts.length).toBe(3); // 8 + 8 + ~4 MiB parts, each to its own signed URL
    expect(await page.getByTestId('text-verdict').getAttribute('data-verdict')).toBe('ready');
    expect(await page.getByTestId('stat-conversations').textContent()).toBe(big.count.toLocaleString('en'));

    // The Datasets page lists it with the image datasets, and finds it by name.
    await page.goto(`${baseUrl}/datasets?q=parcels`);
    const rows = page.getByTestId('dataset-row');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-status')).toBe('ready');
    expect(await rows.first().textContent()).toContain('parcels.jsonl');
    await page.close();
  }, 240_000);
});
