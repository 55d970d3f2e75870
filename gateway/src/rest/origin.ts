import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import type { Origin } from '@hub/casework';
import type { Context } from 'hono';

export type OriginResolver = {
  /** A request that came through Hono (the Node adapter puts the socket in `c.env`). */
  ofHono(c: Context): Origin;
  /** A request Node hands straight to Yoga (serve.ts). */
  ofNode(req: IncomingMessage): Origin;
};

const unmapped = (ip: string) =>
  ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;

function blockListOf(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', bits] = entry.split('/');
    const family = isIP(address);
    if (family === 0) throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP or a CIDR block`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return list;
}

/**
 * Where a request came from, for the audit's "from where". X-Forwarded-For is anyone's to
 * write, so it is believed only when the peer is a configured proxy, and then read from the
 * right: the first hop that is not one of our proxies is the client (entries further left
 * were written by the client itself).
 */
export function clientIp(
  peer: string | null,
  forwardedFor: string | null | undefined,
  trusted: BlockList,
): string | null {
  const isTrusted = (ip: string) => {
    const family = isIP(ip);
    return family !== 0 && trusted.check(ip, family === 4 ? 'ipv4' : 'ipv6');
  };
  if (!peer || !forwardedFor || !isTrusted(unmapped(peer))) return peer ? unmapped(peer) : null;
  const hops = forwardedFor
    .split(',')
    .map((h) => unmapped(h.trim()))
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (isIP(hop) === 0) return unmapped(peer); // garbage in the chain: trust nothing of it
    if (!isTrusted(hop)) return hop;
  }
  return hops[0] ?? unmapped(peer);
}

export function createOriginResolver(trustedProxies: readonly string[]): OriginResolver {
  const trusted = blockListOf(trustedProxies);
  const userAgent = (ua: string | null | undefined) => ua ?? null;
  return {
    ofHono(c) {
      const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
      // In-process requests (tests, other runtimes without a socket) have no peer.
      const peer = incoming?.socket?.remoteAddress ?? null;
      return {
        ip: clientIp(peer, c.req.header('x-forwarded-for'), trusted),
        userAgent: userAgent(c.req.header('user-agent')),
      };
    },
    ofNode(req) {
      const forwarded = req.headers['x-forwarded-for'];
      return {
        ip: clientIp(
          req.socket.remoteAddress ?? null,
          Array.isArray(forwarded) ? forwarded.join(',') : forwarded,
          trusted,
        ),
        userAgent: userAgent(req.headers['user-agent']),
      };
    },
  };
}
