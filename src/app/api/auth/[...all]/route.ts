import { handleAuthRequest } from '@/server/auth/handler';

// GET /api/auth/* — Better Auth (session, sign-out…)
export const GET = (request: Request) => handleAuthRequest(request, 'GET');
// POST /api/auth/* — Better Auth (sign-up, sign-in…), rate-limited per IP
export const POST = (request: Request) => handleAuthRequest(request, 'POST');
