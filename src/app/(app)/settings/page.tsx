import { PageHeader } from '@/components/shell/page-header';
import { ApiKeys } from '@/components/settings/api-keys';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { listApiKeys } from '@/server/api-keys/list';
import { pageContext } from '@/server/auth/page-context';
import { getWorkspaceSummary } from '@/server/workspaces/get-summary';

export const metadata = { title: 'Settings' };

export default async function SettingsPage() {
  const ctx = await pageContext('/settings');
  const s = await getWorkspaceSummary({ ctx });
  const keys = await listApiKeys({ ctx });
  return (
    <>
      <PageHeader title="Settings" description="Your workspace, plan and API keys." />
      <div className="flex max-w-3xl flex-col gap-6">
        <Card>
          <CardHeader>
            <CardTitle>Workspace</CardTitle>
            <CardDescription>
              {s.workspace.name} · <span className="font-mono text-xs">{s.workspace.id}</span> · plan {s.plan.name}
            </CardDescription>
          </CardHeader>
          <CardContent className="text-sm text-muted-foreground">Signed in as {ctx.user.email}.</CardContent>
        </Card>
        <ApiKeys initialKeys={keys.data} />
      </div>
    </>
  );
}
