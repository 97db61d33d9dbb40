/**
 * The client IP. Behind a proxy the app trusts the first X-Forwarded-For hop (deployments
 * put the app behind their own proxy); without one, Next gives us no socket address, so the
 * header is all there is.
 */
export function clientIp(request: Request): string | null {
  const fwd = request.headers.get('x-forwarded-for');
  if (fwd) return fwd.split(',')[0]!.trim() || null;
  return request.headers.get('x-real-ip');
}
