// Copies Replicate's output weights into our storage. This is the ONE server-side fetch of
// a URL that came from outside, so it is fenced: https only, host on REPLICATE_WEIGHTS_HOSTS
// (exact names), redirects followed by hand and only to allow-listed https hosts, size
// capped while streaming. A .tar (what Replicate's trainers return) is unpacked to its
// .safetensors member on the way in.
import { Readable } from 'node:stream';
import { getStorage } from '@/server/storage';
import { JOB_CONFIG } from '@/server/jobs/config';
import { replicateConfig } from './config.ts';
import { tarMember } from './tar.ts';

export class WeightsRefused extends Error {}

function allowed(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WeightsRefused('the weights URL is not a URL');
  }
  const hosts = replicateConfig().weightsHosts;
  if (url.protocol !== 'https:') throw new WeightsRefused(`weights URL must be https, got ${url.protocol}`);
  if (url.username || url.password || url.port) throw new WeightsRefused('weights URL must not carry credentials or a port');
  if (!hosts.includes(url.hostname.toLowerCase())) throw new WeightsRefused(`weights host ${url.hostname} is not on REPLICATE_WEIGHTS_HOSTS`);
  return url;
}

async function fetchAllowed(raw: string): Promise<Response> {
  let url = allowed(raw);
  for (let hop = 0; hop < 4; hop++) {
    const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(10 * 60_000) });
    if (res.status >= 300 && res.status < 400) {
      const to = res.headers.get('location');
      await res.body?.cancel();
      if (!to) throw new WeightsRefused(`redirect ${res.status} without a Location`);
      url = allowed(new URL(to, url).toString());
      continue;
    }
    if (!res.ok || !res.body) throw new Error(`weights download answered HTTP ${res.status}`);
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > JOB_CONFIG.artifactMaxBytes) throw new WeightsRefused(`weights are ${declared} bytes, over the ${JOB_CONFIG.artifactMaxBytes}-byte cap`);
    return res;
  }
  throw new WeightsRefused('too many redirects');
}

/** Reads the first 512 bytes to see whether this is a tar (magic "ustar" at 257), keeping them. */
async function sniffTar(body: AsyncIterable<Uint8Array>): Promise<{ tar: boolean; stream: AsyncIterable<Uint8Array> }> {
  const it = body[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let have = 0;
  let ended = false;
  while (have < 512) {
    const next = await it.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    have += next.value.length;
  }
  const first = Buffer.concat(head);
  const tar = first.length >= 262 && first.subarray(257, 262).toString('latin1') === 'ustar';
  async function* replay() {
    if (first.length) yield first;
    if (!ended) for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
  }
  return { tar, stream: replay() };
}

/** Stores the weights at `key` (unpacking a tar); returns the stored size. */
export async function copyReplicateWeights(weightsUrl: string, key: string): Promise<{ bytes: number }> {
  const res = await fetchAllowed(weightsUrl);
  const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
  const sniffed = await sniffTar(body);
  const source = sniffed.tar ? tarMember(sniffed.stream, (name) => name.endsWith('.safetensors')) : sniffed.stream;
  const put = await getStorage().driver.putStream(key, source as AsyncIterable<Uint8Array>, { contentType: 'application/octet-stream', maxBytes: JOB_CONFIG.artifactMaxBytes });
  return { bytes: put.bytes };
}
