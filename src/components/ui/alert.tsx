import * as React from 'react';
import { cn } from '@/lib/utils';

export function Alert({ className, variant = 'default', ...props }: React.HTMLAttributes<HTMLDivElement> & { variant?: 'default' | 'destructive' | 'warning' | 'success' }) {
  const tone = {
    default: 'border-border',
    destructive: 'border-destructive/40 bg-destructive/5 text-destructive',
    warning: 'border-warning/50 bg-warning/10',
    success: 'border-success/40 bg-success/10',
  }[variant];
  return <div role="alert" className={cn('rounded-lg border px-4 py-3 text-sm', tone, className)} {...props} />;
}
