'use client';
import { Sparkles, Zap } from 'lucide-react';
import Link from 'next/link';
import { useRef, useState } from 'react';
import { apiJson } from '@/components/datasets/api';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { CompiledView } from './compiled-view.tsx';
import { PackPanel, type PackRequest } from './pack-panel.tsx';
import { ProfileSelect } from './profile-select.tsx';
import type { ActiveIdentityView, CompileResult, ProfileOption } from './types.ts';

/**
 * Prompt Studio: pick where the prompt goes, describe the scene, compile. The server does
 * the compiling (the same code the API runs); this page never builds or edits a prompt.
 */
export function PromptStudio({ profiles, active, initialProfile }: { profiles: ProfileOption[]; active: ActiveIdentityView | null; initialProfile: string }) {
  const [profile, setProfile] = useState(initialProfile);
  const [scene, setScene] = useState('');
  const [style, setStyle] = useState('');
  const [negative, setNegative] = useState('');
  const [result, setResult] = useState<CompileResult | null>(null);
  const [compiled, setCompiled] = useState<PackRequest | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Only the newest compile may land: switching profiles quickly must not show a stale one.
  const seq = useRef(0);
  const chosen = profiles.find((p) => p.id === profile);

  const compile = async (request: PackRequest) => {
    if (!request.scene.trim()) {
      setError('Describe the scene first.');
      return;
    }
    const mine = ++seq.current;
    setBusy(true);
    setError(null);
    try {
      const out = await apiJson<CompileResult>('/api/lora/compile', { method: 'POST', json: request });
      if (mine !== seq.current) return;
      setResult(out);
      setCompiled(request);
    } catch (err) {
      if (mine === seq.current) setError((err as Error).message);
    } finally {
      if (mine === seq.current) setBusy(false);
    }
  };
  const requestFor = (id: string): PackRequest => ({
    profile: id,
    scene,
    ...(style.trim() ? { style } : {}),
    ...(negative.trim() ? { negative } : {}),
  });
  const onProfile = (id: string) => {
    setProfile(id);
    if (scene.trim()) void compile(requestFor(id));
  };

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,22rem)_minmax(0,1fr)]">
      <form
        className="flex flex-col gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          void compile(requestFor(profile));
        }}
        data-testid="compile-form"
      >
        <ActiveSummary active={active} />
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="profile">Profile</Label>
          <ProfileSelect profiles={profiles} value={profile} onChange={onProfile} />
          {chosen?.group === 'character_pack' ? <p className="text-xs text-muted-foreground">No LoRA tag here: the identity is described in words and travels as a Character Pack.</p> : null}
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="scene">Scene</Label>
          <textarea
            id="scene"
            value={scene}
            onChange={(e) => setScene(e.target.value)}
            rows={5}
            maxLength={8000}
            placeholder="walking along a pier at golden hour, looking at the camera"
            className="rounded-md border border-input bg-background px-3 py-2 text-sm shadow-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
          />
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="style">Style (optional)</Label>
          <Input id="style" value={style} onChange={(e) => setStyle(e.target.value)} maxLength={1000} placeholder="soft pastel palette" />
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="negative">Avoid (optional)</Label>
          <Input id="negative" value={negative} onChange={(e) => setNegative(e.target.value)} maxLength={2000} placeholder="blurry, text overlays" />
        </div>
        <Button type="submit" disabled={busy} data-testid="compile">
          <Sparkles aria-hidden /> {busy ? 'Compiling…' : 'Compile'}
        </Button>
        {error ? (
          <Alert variant="destructive" data-testid="compile-error">
            {error}
          </Alert>
        ) : null}
      </form>
      <div className="flex min-w-0 flex-col gap-4" aria-live="polite">
        {result && compiled ? (
          <>
            <CompiledView result={result} />
            {result.character_pack ? <PackPanel key={`${compiled.profile}:${result.final}`} result={result} request={compiled} canExport={active !== null} /> : null}
          </>
        ) : (
          <p className="rounded-lg border border-dashed p-8 text-center text-sm text-muted-foreground">Choose a profile, describe the scene and compile. Each part of the prompt is highlighted by where it came from.</p>
        )}
      </div>
    </div>
  );
}

function ActiveSummary({ active }: { active: ActiveIdentityView | null }) {
  if (!active) {
    return (
      <Alert variant="warning" data-testid="no-active">
        No active LoRA: prompts compile without one. Activate a ready version on its LoRA&apos;s{' '}
        <Link href="/loras" className="underline">
          Versions tab
        </Link>
        .
      </Alert>
    );
  }
  return (
    <div className="flex items-start gap-2 rounded-lg border bg-muted/30 px-3 py-2 text-sm" data-testid="active-identity">
      <Zap className="mt-0.5 size-4 shrink-0 text-primary" aria-hidden />
      <span>
        Active: <strong>{active.model_name}</strong> v{active.version_number} · weight {active.weight.toFixed(2)} · {active.base_model.name}
        {active.trigger_word ? (
          <>
            {' '}
            · trigger <code className="font-mono">{active.trigger_word}</code>
          </>
        ) : null}
      </span>
    </div>
  );
}
