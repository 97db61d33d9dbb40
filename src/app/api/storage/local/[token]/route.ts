import { serveLocalStorage } from '@/server/storage';

type Ctx = { params: Promise<{ token: string }> };

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// GET /api/storage/local/:token — download through a signed local-storage URL (Range supported)
export const GET = async (request: Request, { params }: Ctx) => serveLocalStorage(request, (await params).token);
// HEAD /api/storage/local/:token — size and type through a signed URL
export const HEAD = async (request: Request, { params }: Ctx) => serveLocalStorage(request, (await params).token);
// PUT /api/storage/local/:token — upload through a signed URL (byte limit enforced; 413 writes nothing)
export const PUT = async (request: Request, { params }: Ctx) => serveLocalStorage(request, (await params).token);
