'use client';
import { Loader2, Plus } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { ApiError, apiJson } from '@/components/datasets/api';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { cn } from '@/lib/utils';
import { KIND } from './kind-badge.tsx';

const KINDS = ['identity', 'style', 'product', 'chat'] as const;

/** Zod issues come back as `details: [{ path, message }]`; show each under its field. */
function fieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError) || !Array.isArray(err.details)) return {};
  const out: Record<string, string> = {};
  for (const d of err.details as { path?: unknown; message?: unknown }[]) {
    if (typeof d.path === 'string' && typeof d.message === 'string') out[d.path] ??= d.message;
  }
  return out;
}

export function NewLoraForm() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const trigger = String(form.get('trigger_word') ?? '').trim();
    const kind = String(form.get('kind') ?? 'identity');
    setPending(true);
    setError(null);
    setFields({});
    try {
      const model = await apiJson<{ id: string }>('/api/lora/models', {
        method: 'POST',
        json: { name: String(form.get('name') ?? ''), kind, modality: kind === 'chat' ? 'text' : 'image', ...(trigger ? { trigger_word: trigger } : {}) },
      });
      router.push(`/loras/${model.id}`);
    } catch (err) {
      setError((err as Error).message);
      setFields(fieldErrors(err));
      setPending(false);
    }
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>New LoRA</CardTitle>
        <CardDescription>Name it, pick what it learns, then upload photos (or, for a chat LoRA, conversations) on its page.</CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={onSubmit} className="flex flex-col gap-5">
          {error ? (
            <Alert variant="destructive" data-testid="new-lora-error">
              {error}
            </Alert>
          ) : null}
          <div className="flex flex-col gap-2">
            <Label htmlFor="lora-name">Name</Label>
            <Input id="lora-name" name="name" required maxLength={80} placeholder="Ada, portrait" aria-invalid={fields.name ? true : undefined} />
            {fields.name ? <p className="text-xs text-destructive">{fields.name}</p> : null}
          </div>
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-2 text-sm font-medium">Kind</legend>
            {KINDS.map((k, i) => {
              const { label, icon: Icon, blurb } = KIND[k];
              return (
                <label
                  key={k}
                  className={cn(
                    'flex cursor-pointer items-center gap-3 rounded-lg border p-3 transition-colors hover:bg-accent/50',
                    'has-[:checked]:border-primary has-[:checked]:bg-accent has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring',
                  )}
                >
                  <input type="radio" name="kind" value={k} defaultChecked={i === 0} className="sr-only" />
                  <Icon className="size-5 shrink-0 text-primary" aria-hidden />
                  <span className="flex flex-col">
                    <span className="text-sm font-medium">{label}</span>
                    <span className="text-xs text-muted-foreground">{blurb}</span>
                  </span>
                </label>
              );
            })}
          </fieldset>
          <div className="flex flex-col gap-2">
            <Label htmlFor="lora-trigger">
              Trigger word <span className="font-normal text-muted-foreground">(optional)</span>
            </Label>
            <Input
              id="lora-trigger"
              name="trigger_word"
              maxLength={32}
              pattern="[A-Za-z][A-Za-z0-9_\-]*"
              placeholder="Generated if empty, e.g. zqvor3"
              aria-describedby="lora-trigger-help"
              aria-invalid={fields.trigger_word ? true : undefined}
              className="font-mono"
            />
            <p id="lora-trigger-help" className={cn('text-xs', fields.trigger_word ? 'text-destructive' : 'text-muted-foreground')}>
              {fields.trigger_word ?? 'The rare word that calls the LoRA in prompts: letters, digits, "_" or "-".'}
            </p>
          </div>
          <Button type="submit" disabled={pending}>
            {pending ? <Loader2 className="animate-spin" aria-hidden /> : <Plus aria-hidden />} Create LoRA
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
