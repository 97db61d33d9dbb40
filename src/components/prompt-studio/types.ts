import type { CompileResult, ProfileGroup, ProfileOption } from '@/server/compile/schemas';
import type { ActiveIdentityView } from '@/server/identity/schemas';
import type { PackLink } from '@/server/packs/schemas';

export type { ActiveIdentityView, CompileResult, PackLink, ProfileGroup, ProfileOption };
export type Block = CompileResult['blocks'][number];
export type BlockSource = Block['source'];

export const GROUP_LABEL: Record<ProfileGroup, string> = {
  lora: 'LoRA pipelines',
  character_pack: 'Character Pack platforms',
  llm: 'LLM serving',
};
export const GROUP_ORDER: ProfileGroup[] = ['lora', 'character_pack', 'llm'];

/** One colour per provenance, so a person sees at a glance which words are theirs. */
export const SOURCE_STYLE: Record<BlockSource, { label: string; className: string }> = {
  profile: { label: 'Platform', className: 'bg-slate-100 text-slate-800 ring-slate-300' },
  config: { label: 'Studio rules', className: 'bg-violet-100 text-violet-900 ring-violet-300' },
  identity: { label: 'Your LoRA', className: 'bg-amber-100 text-amber-900 ring-amber-300' },
  user: { label: 'Your input', className: 'bg-emerald-100 text-emerald-900 ring-emerald-300' },
};

/** Profiles in display order, grouped; groups without profiles are left out. */
export function groupProfiles(profiles: ProfileOption[]): { group: ProfileGroup; label: string; items: ProfileOption[] }[] {
  return GROUP_ORDER.map((group) => ({ group, label: GROUP_LABEL[group], items: profiles.filter((p) => p.group === group) })).filter((g) => g.items.length > 0);
}
