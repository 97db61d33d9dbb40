import { Boxes } from 'lucide-react';
import { EmptyState } from '@/components/empty-state';
import { PageHeader } from '@/components/shell/page-header';
import { pageContext } from '@/server/auth/page-context';

export const metadata = { title: 'LoRAs' };

export default async function Page() {
  await pageContext('/loras');
  return (
    <>
      <PageHeader title="LoRAs" description="Your identity, style, product and chat LoRAs, with their datasets and versions." />
      <EmptyState icon={Boxes} title="No LoRAs yet" description="Create a LoRA, then upload 15–30 photos of one subject, or a chat JSONL for a text LoRA." />
    </>
  );
}
