'use client';
import { Copy, KeyRound, Loader2, Trash2 } from 'lucide-react';
import { useCallback, useState, type FormEvent } from 'react';
import { EmptyState } from '@/components/empty-state';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';

export interface KeyRow {
  id: string;
  name: string | null;
  start: string | null;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
}

async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, { ...init, headers: { 'content-type': 'application/json', ...init?.headers } });
  const body = (await res.json().catch(() => null)) as T & { error?: { message: string } };
  if (!res.ok) throw new Error(body?.error?.message ?? `Request failed (${res.status})`);
  return body;
}

export function ApiKeys({ initialKeys }: { initialKeys: KeyRow[] }) {
  const [keys, setKeys] = useState<KeyRow[]>(initialKeys);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const load = useCallback(async () => {
    try {
      setKeys((await api<{ data: KeyRow[] }>('/api/api-keys')).data);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);

  async function onCreate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    setPending(true);
    setError(null);
    try {
      const name = String(new FormData(form).get('name') ?? '');
      const res = await api<{ key: string }>('/api/api-keys', { method: 'POST', body: JSON.stringify({ name }) });
      setCreated(res.key);
      form.reset();
      await load();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setPending(false);
    }
  }

  async function onRevoke(id: string) {
    try {
      await api(`/api/api-keys/${id}`, { method: 'DELETE' });
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>API keys</CardTitle>
        <CardDescription>For integrators: send the key in the <code>x-api-key</code> header. It acts as you, in this workspace.</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {error ? <Alert variant="destructive">{error}</Alert> : null}
        {created ? (
          <Alert variant="success">
            <div className="mb-2 font-medium">Copy your new key now — it will not be shown again.</div>
            <div className="flex items-center gap-2">
              <code className="flex-1 break-all rounded bg-background px-2 py-1 text-xs" data-testid="new-api-key">{created}</code>
              <Button size="sm" variant="outline" onClick={() => void navigator.clipboard?.writeText(created)}>
                <Copy aria-hidden /> Copy
              </Button>
            </div>
          </Alert>
        ) : null}
        <form onSubmit={onCreate} className="flex items-end gap-2">
          <div className="flex flex-1 flex-col gap-2">
            <Label htmlFor="key-name">Name</Label>
            <Input id="key-name" name="name" required maxLength={64} placeholder="prompt-tool production" />
          </div>
          <Button type="submit" disabled={pending}>
            {pending ? <Loader2 className="animate-spin" aria-hidden /> : <KeyRound aria-hidden />} Create key
          </Button>
        </form>
        {keys.length === 0 ? (
          <EmptyState icon={KeyRound} title="No API keys" description="Create a key to call the LoRA Studio API from your own app." />
        ) : (
          <table className="w-full text-sm">
            <thead className="text-left text-muted-foreground">
              <tr>
                <th className="py-2 font-medium">Name</th>
                <th className="font-medium">Key</th>
                <th className="font-medium">Created</th>
                <th className="font-medium">Last used</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id} className="border-t">
                  <td className="py-2">{k.name}</td>
                  <td className="font-mono text-xs">{k.start}…</td>
                  <td>{new Date(k.created_at).toLocaleDateString()}</td>
                  <td>{k.last_used_at ? new Date(k.last_used_at).toLocaleString() : 'never'}</td>
                  <td className="text-right">
                    <Button size="sm" variant="ghost" aria-label={`Revoke ${k.name ?? 'key'}`} onClick={() => void onRevoke(k.id)}>
                      <Trash2 aria-hidden /> Revoke
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </CardContent>
    </Card>
  );
}
