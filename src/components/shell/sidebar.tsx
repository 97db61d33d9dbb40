'use client';
import { Boxes, Database, Gauge, LayoutDashboard, ListChecks, Settings, Sparkles, Wand2 } from 'lucide-react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '@/lib/utils';
import { LogoutButton } from './logout-button';

export const NAV = [
  { href: '/dashboard', label: 'Dashboard', icon: LayoutDashboard },
  { href: '/loras', label: 'LoRAs', icon: Boxes },
  { href: '/datasets', label: 'Datasets', icon: Database },
  { href: '/jobs', label: 'Jobs', icon: ListChecks },
  { href: '/prompt-studio', label: 'Prompt Studio', icon: Wand2 },
  { href: '/usage', label: 'Usage', icon: Gauge },
  { href: '/settings', label: 'Settings', icon: Settings },
] as const;

export function Sidebar({ user, workspace }: { user: { email: string; name: string }; workspace: string }) {
  const pathname = usePathname();
  return (
    <aside className="flex w-60 shrink-0 flex-col border-r bg-muted/30">
      <div className="flex h-14 items-center gap-2 border-b px-4 font-semibold">
        <Sparkles className="size-5 text-primary" aria-hidden /> LoRA Studio
      </div>
      <div className="px-4 pt-4 text-xs font-medium uppercase tracking-wide text-muted-foreground" title={workspace}>
        {workspace}
      </div>
      <nav aria-label="Main" className="flex flex-1 flex-col gap-1 p-2">
        {NAV.map(({ href, label, icon: Icon }) => {
          const active = pathname === href || pathname.startsWith(`${href}/`);
          return (
            <Link
              key={href}
              href={href}
              aria-current={active ? 'page' : undefined}
              className={cn(
                'flex items-center gap-2 rounded-md px-3 py-2 text-sm transition-colors hover:bg-accent',
                active ? 'bg-accent font-medium text-primary' : 'text-foreground/80',
              )}
            >
              <Icon className="size-4" aria-hidden />
              {label}
            </Link>
          );
        })}
      </nav>
      <div className="border-t p-3">
        <div className="truncate text-sm font-medium">{user.name}</div>
        <div className="truncate text-xs text-muted-foreground" data-testid="current-user-email">{user.email}</div>
        <LogoutButton />
      </div>
    </aside>
  );
}
