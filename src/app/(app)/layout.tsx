import { Sidebar } from '@/components/shell/sidebar';
import { pageContext } from '@/server/auth/page-context';
import { getWorkspaceSummary } from '@/server/workspaces/get-summary';

export const dynamic = 'force-dynamic';

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const ctx = await pageContext();
  const summary = await getWorkspaceSummary({ ctx });
  return (
    <div className="flex min-h-screen">
      <Sidebar user={ctx.user} workspace={summary.workspace.name} />
      <main className="flex-1 overflow-x-hidden px-8 py-8">{children}</main>
    </div>
  );
}
