// PUT a file to its signed URL with XMLHttpRequest: fetch() has no upload progress, and
// the per-file bars must move with the bytes actually sent.

export interface PutTarget {
  url: string;
  headers: Record<string, string>;
}

/** Resolves with the response's ETag (multipart parts need it on completion), or null. */
export function putWithProgress(target: PutTarget, file: Blob, onProgress: (loaded: number) => void, signal?: AbortSignal): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', target.url);
    for (const [k, v] of Object.entries(target.headers)) {
      // The browser sets content-length itself and refuses scripts that try to.
      if (k.toLowerCase() !== 'content-length') xhr.setRequestHeader(k, v);
    }
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(file.size);
        resolve(xhr.getResponseHeader('etag'));
        return;
      }
      reject(new Error(messageOf(xhr)));
    };
    xhr.onerror = () => reject(new Error('The upload was interrupted (network error). Try again.'));
    xhr.onabort = () => reject(new Error('The upload was cancelled.'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

function messageOf(xhr: XMLHttpRequest): string {
  try {
    const body = JSON.parse(xhr.responseText) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    /* S3 answers XML; fall through to the status */
  }
  if (xhr.status === 403) return 'The upload link expired or was refused (403). Try again.';
  if (xhr.status === 413) return 'The file is larger than announced (413).';
  return `The upload failed (HTTP ${xhr.status}).`;
}
