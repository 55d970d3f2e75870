import { getConnInfo } from '@hono/node-server/conninfo';
import type { Origin } from '@hub/casework';
import type { Context } from 'hono';

/** Where a request came from, for the audit log: the proxy's X-Forwarded-For first. */
export function originOf(c: Context): Origin {
  const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
  let ip: string | null = forwarded || null;
  if (!ip) {
    try {
      ip = getConnInfo(c).remote.address ?? null;
    } catch {
      ip = null; // in-process requests (tests) have no socket
    }
  }
  return { ip, userAgent: c.req.header('user-agent') ?? null };
}
