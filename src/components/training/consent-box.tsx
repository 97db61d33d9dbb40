'use client';
import { ShieldCheck } from 'lucide-react';
import { Checkbox } from '@/components/ui/checkbox';
import { CONSENT_TEXT, CONSENT_VERSION } from './consent-text.ts';

/** The exact, versioned statement; the server records which version was agreed to, by whom and when. */
export function ConsentBox({ checked, onChange, disabled, modality = 'image' }: { checked: boolean; onChange: (v: boolean) => void; disabled?: boolean; modality?: 'image' | 'text' }) {
  return (
    <div className="flex items-start gap-3 rounded-lg border p-3" data-testid="consent-box">
      <Checkbox id="training-consent" checked={checked} onCheckedChange={(v) => onChange(v === true)} disabled={disabled} aria-describedby="training-consent-note" className="mt-0.5" />
      <div className="flex flex-col gap-1">
        <label htmlFor="training-consent" className="text-sm font-medium leading-snug" data-testid="consent-statement">
          {CONSENT_TEXT[modality]}
        </label>
        <p id="training-consent-note" className="flex items-center gap-1 text-xs text-muted-foreground">
          <ShieldCheck className="size-3.5" aria-hidden /> Required to train. Recorded with your account, the time and this statement ({CONSENT_VERSION}).
        </p>
      </div>
    </div>
  );
}
