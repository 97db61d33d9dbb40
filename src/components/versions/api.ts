import { apiJson } from '@/components/datasets/api';
import type { ActivateResult, ActiveIdentityView } from '@/server/identity/schemas';
import type { DownloadLink, VersionView } from '@/server/versions/schemas';

export type { ActiveIdentityView, VersionView };

export const fetchVersions = (modelId: string) => apiJson<{ data: VersionView[] }>(`/api/lora/versions?model_id=${encodeURIComponent(modelId)}`);
export const fetchActive = () => apiJson<{ active: ActiveIdentityView | null }>('/api/lora/activate');
export const activate = (versionId: string, weight: number) => apiJson<ActivateResult>('/api/lora/activate', { method: 'POST', json: { version_id: versionId, weight } });
export const deactivate = () => apiJson<{ active: null }>('/api/lora/activate', { method: 'DELETE' });
export const deleteVersion = (id: string) => apiJson<{ deleted: true; purged: boolean }>(`/api/lora/versions/${id}`, { method: 'DELETE' });
export const downloadLink = (id: string) => apiJson<DownloadLink>(`/api/lora/versions/${id}/download`, { method: 'POST', json: {} });

/** Start a browser download from a signed URL (the response says `attachment`). */
export function startDownload(url: string, filename: string) {
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}
