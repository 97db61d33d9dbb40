import { Boxes, Database, ListChecks } from 'lucide-react';
import Link from 'next/link';
import { PageHeader } from '@/components/shell/page-header';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { pageContext } from '@/server/auth/page-context';
import { getWorkspaceSummary } from '@/server/workspaces/get-summary';

export const metadata = { title: 'Dashboard' };

export default async function DashboardPage() {
  const ctx = await pageContext('/dashboard');
  const s = await getWorkspaceSummary({ ctx });
  const tiles = [
    { label: 'LoRAs', value: s.counts.models, href: '/loras', icon: Boxes },
    { label: 'Datasets', value: s.counts.datasets, href: '/datasets', icon: Database },
    { label: 'Training jobs', value: s.counts.jobs, href: '/jobs', icon: ListChecks },
  ];
  const jobsLimit = s.plan.limits.training_jobs_per_month;
  return (
    <>
      <PageHeader title={`Welcome, ${ctx.user.name}`} description="Upload a dataset, validate it, train a LoRA on a worker and use it in your prompts." />
      <div className="mb-6 flex items-center gap-2 text-sm">
        Plan <Badge variant="secondary">{s.plan.name}</Badge>
        <span className="text-muted-foreground">
          {jobsLimit === 0 ? 'Training is not included in this plan.' : jobsLimit === null || jobsLimit === undefined ? 'Unlimited training jobs.' : `${jobsLimit} training jobs a month.`}
        </span>
      </div>
      <div className="grid gap-4 sm:grid-cols-3">
        {tiles.map(({ label, value, href, icon: Icon }) => (
          <Link key={href} href={href}>
            <Card className="transition-colors hover:border-primary/40">
              <CardHeader>
                <CardDescription className="flex items-center gap-2">
                  <Icon className="size-4" aria-hidden /> {label}
                </CardDescription>
                <CardTitle className="text-3xl">{value}</CardTitle>
              </CardHeader>
            </Card>
          </Link>
        ))}
      </div>
      <Card className="mt-6">
        <CardHeader>
          <CardTitle>How it works</CardTitle>
        </CardHeader>
        <CardContent>
          <ol className="list-decimal space-y-1 pl-5 text-sm text-muted-foreground">
            <li>Create a LoRA and upload 15–30 photos (or a chat JSONL for a text LoRA).</li>
            <li>Validate: we check every file, duplicates, faces and pose coverage before a GPU minute is spent.</li>
            <li>Train on a worker; watch progress and loss live.</li>
            <li>Activate a version and compile prompts for SDXL, Flux, Sora, Veo or Grok.</li>
          </ol>
        </CardContent>
      </Card>
    </>
  );
}
