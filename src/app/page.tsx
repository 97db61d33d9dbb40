import { redirect } from 'next/navigation';
import { hasSession } from '@/server/auth/page-context';

export const dynamic = 'force-dynamic';

export default async function Home() {
  redirect((await hasSession()) ? '/dashboard' : '/login');
}
