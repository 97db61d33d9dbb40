'use client';
import { Loader2 } from 'lucide-react';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { authClient } from '@/lib/auth-client';

export function AuthForm({ mode }: { mode: 'login' | 'signup' }) {
  const router = useRouter();
  const search = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const next = search.get('next');
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/dashboard';

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    setPending(true);
    const form = new FormData(e.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const result =
      mode === 'signup'
        ? await authClient.signUp.email({ email, password, name: String(form.get('name') ?? '').trim() || email.split('@')[0]! })
        : await authClient.signIn.email({ email, password });
    setPending(false);
    if (result.error) {
      setError(result.error.message ?? (mode === 'signup' ? 'Could not create the account.' : 'Email or password is wrong.'));
      return;
    }
    router.replace(target);
    router.refresh();
  }

  const signup = mode === 'signup';
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-xl">{signup ? 'Create your account' : 'Log in'}</CardTitle>
        <CardDescription>{signup ? 'You get a personal workspace right away.' : 'Welcome back to LoRA Studio.'}</CardDescription>
      </CardHeader>
      <form onSubmit={onSubmit} noValidate={false}>
        <CardContent className="flex flex-col gap-4">
          {error ? (
            <Alert variant="destructive" data-testid="auth-error">
              {error}
            </Alert>
          ) : null}
          {signup ? (
            <div className="flex flex-col gap-2">
              <Label htmlFor="name">Name</Label>
              <Input id="name" name="name" autoComplete="name" placeholder="Ada Lovelace" />
            </div>
          ) : null}
          <div className="flex flex-col gap-2">
            <Label htmlFor="email">Email</Label>
            <Input id="email" name="email" type="email" autoComplete="email" required autoFocus />
          </div>
          <div className="flex flex-col gap-2">
            <Label htmlFor="password">Password</Label>
            <Input id="password" name="password" type="password" minLength={8} autoComplete={signup ? 'new-password' : 'current-password'} required />
            {signup ? <p className="text-xs text-muted-foreground">At least 8 characters.</p> : null}
          </div>
        </CardContent>
        <CardFooter className="flex flex-col gap-3">
          <Button type="submit" className="w-full" disabled={pending}>
            {pending ? <Loader2 className="animate-spin" aria-hidden /> : null}
            {signup ? 'Create account' : 'Log in'}
          </Button>
          <p className="text-sm text-muted-foreground">
            {signup ? 'Already have an account? ' : 'New here? '}
            <Link className="text-primary underline-offset-4 hover:underline" href={signup ? '/login' : '/signup'}>
              {signup ? 'Log in' : 'Create an account'}
            </Link>
          </p>
        </CardFooter>
      </form>
    </Card>
  );
}
