import { Wand2 } from 'lucide-react';
import { EmptyState } from '@/components/empty-state';
import { PageHeader } from '@/components/shell/page-header';
import { pageContext } from '@/server/auth/page-context';

export const metadata = { title: 'Prompt Studio' };

export default async function Page() {
  await pageContext('/prompt-studio');
  return (
    <>
      <PageHeader title="Prompt Studio" description="Compile prompts that use your active LoRA for SDXL, Flux, Sora, Veo and Grok." />
      <EmptyState icon={Wand2} title="Nothing to compile with yet" description="Train a LoRA and activate a version; Prompt Studio then places it in every prompt you compile." />
    </>
  );
}
