'use client';
import { createAuthClient } from 'better-auth/react';

// Same-origin client: Better Auth is served by this app at /api/auth.
export const authClient = createAuthClient();
