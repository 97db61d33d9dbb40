// A 1 GB conversation file through a running app, as an integrator sends it: sign up, API key, chat
// LoRA, signed multipart upload (3 parts at a time), commit, then the background validation followed
// while the server's RSS is sampled. Usage (see NOTES.md):
//   BASE=http://localhost:3000 SERVER_PID=<next-server pid> node bench/validate-jsonl/through-the-app.mjs big.jsonl
// A new sign-up is on Free (1 GB of storage, less than a 1 GB+ file): to upload more, pass an
// account with room, e.g. the demo login `npm start` prints (Pro): EMAIL=… PASSWORD=….
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { execSync } from 'node:child_process';
const BASE = process.env.BASE ?? 'http://localhost:3000';
const FILE = process.argv[2];
const size = statSync(FILE).size;
const origin = { origin: BASE };
const email = process.env.EMAIL ?? `big-${Date.now()}@example.test`;
const password = process.env.PASSWORD ?? 'big-upload-password-1';
let res = process.env.EMAIL
  ? await fetch(`${BASE}/api/auth/sign-in/email`, { method: 'POST', headers: { 'content-type': 'application/json', ...origin }, body: JSON.stringify({ email, password }) })
  : await fetch(`${BASE}/api/auth/sign-up/email`, { method: 'POST', headers: { 'content-type': 'application/json', ...origin }, body: JSON.stringify({ email, password, name: 'Big' }) });
const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
res = await fetch(`${BASE}/api/api-keys`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, ...origin }, body: JSON.stringify({ name: 'big' }) });
const key = (await res.json()).key;
const api = async (path, body, method = 'POST') => {
  const r = await fetch(`${BASE}${path}`, { method, headers: { 'content-type': 'application/json', 'x-api-key': key }, body: body ? JSON.stringify(body) : undefined });
  const j = await r.json();
  if (!r.ok) throw new Error(`${path} ${r.status} ${JSON.stringify(j)}`);
  return j;
};
const model = await api('/api/lora/models', { name: 'Big support bot', modality: 'text', kind: 'chat' });
const init = await api('/api/lora/datasets/init', { model_id: model.id, files: [{ name: 'big.jsonl', size, content_type: 'application/jsonl' }] });
const t = init.uploads[0];
const mp = t.multipart;
console.log(`init: ${mp.parts.length} parts of ${mp.part_size} bytes`);
const hashP = new Promise((resolve, reject) => {
  const h = createHash('sha256');
  createReadStream(FILE).on('data', (c) => h.update(c)).on('end', () => resolve(h.digest('hex'))).on('error', reject);
});
const fh = await open(FILE);
const etags = [];
let next = 0;
const t0 = Date.now();
await Promise.all(
  [0, 1, 2].map(async () => {
    while (next < mp.parts.length) {
      const p = mp.parts[next++];
      const buf = Buffer.alloc(p.bytes);
      await fh.read(buf, 0, p.bytes, (p.part_number - 1) * mp.part_size);
      const r = await fetch(p.url, { method: 'PUT', headers: p.headers, body: buf });
      if (!r.ok) throw new Error(`part ${p.part_number}: ${r.status} ${await r.text()}`);
      etags.push({ part_number: p.part_number, etag: r.headers.get('etag') });
    }
  }),
);
await fh.close();
const sha256 = await hashP;
console.log(`uploaded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
const committed = await api('/api/lora/datasets/commit', { dataset_id: init.dataset_id, files: [{ key: t.key, sha256, parts: etags }] });
console.log(`commit: ${committed.status}`);
const pid = process.env.SERVER_PID;
const rss = () => (pid ? Number(execSync(`ps -o rss= -p ${pid}`).toString().trim()) / 1024 : NaN);
const rssBefore = rss();
let maxRss = rssBefore;
const v0 = Date.now();
let d;
for (;;) {
  await new Promise((r) => setTimeout(r, 1000));
  d = await api(`/api/lora/datasets/${init.dataset_id}`, undefined, 'GET');
  maxRss = Math.max(maxRss, rss());
  if (d.status !== 'validating') break;
  process.stdout.write(`\rvalidating ${(d.validation_progress * 100).toFixed(0)} %  rss ${rss().toFixed(0)} MB   `);
}
const r = d.quality_report;
console.log(`\nstatus ${d.status} verdict ${d.verdict} in ${((Date.now() - v0) / 1000).toFixed(1)} s; server RSS ${rssBefore.toFixed(0)} MB before, max ${maxRss.toFixed(0)} MB during`);
console.log(`records ${JSON.stringify(r.records)} conversations ${r.stats.conversations} errors ${JSON.stringify(r.errors.map((e) => [e.line, e.path, e.code]))} example_count ${d.example_count}`);
