import { PromptStudio } from '@/components/prompt-studio/prompt-studio';
import { PageHeader } from '@/components/shell/page-header';
import { pageContext } from '@/server/auth/page-context';
import { listProfiles } from '@/server/compile/profiles';
import { getActiveIdentity } from '@/server/identity/get';

export const metadata = { title: 'Prompt Studio' };

export default async function Page() {
  const ctx = await pageContext('/prompt-studio');
  const [{ data: profiles }, { active }] = await Promise.all([listProfiles({ ctx }), getActiveIdentity({ ctx })]);
  // Start where the person said they compile for when they activated, else the first LoRA pipeline.
  const initial = profiles.find((p) => p.id === active?.target_platform)?.id ?? profiles.find((p) => p.group === 'lora')?.id ?? profiles[0]?.id ?? 'sdxl';
  return (
    <>
      <PageHeader title="Prompt Studio" description="Compile prompts that use your active LoRA for SDXL, Flux, Sora, Veo and Grok." />
      <PromptStudio profiles={profiles} active={active} initialProfile={initial} />
    </>
  );
}
