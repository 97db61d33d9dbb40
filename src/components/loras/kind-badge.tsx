import { MessagesSquare, Package, Palette, UserRound } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import type { ModelView } from '@/server/models/schemas';

export const KIND = {
  identity: { label: 'Identity', icon: UserRound, blurb: 'A person: their face and look' },
  style: { label: 'Style', icon: Palette, blurb: 'An artistic or photographic style' },
  product: { label: 'Product', icon: Package, blurb: 'An object or product' },
  chat: { label: 'Chat', icon: MessagesSquare, blurb: 'A text LoRA trained on conversations' },
} as const;

export function KindBadge({ kind }: { kind: ModelView['kind'] }) {
  const k = KIND[kind];
  return (
    <Badge variant="secondary" className="gap-1">
      <k.icon className="size-3" aria-hidden /> {k.label}
    </Badge>
  );
}
