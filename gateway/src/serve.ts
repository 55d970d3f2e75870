import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Origin } from '@hub/casework';
import type { GatewayApp } from './app.ts';

function originOfNode(req: IncomingMessage): Origin {
  const forwarded = req.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return {
    ip: first || req.socket.remoteAddress || null,
    userAgent: req.headers['user-agent'] ?? null,
  };
}

/**
 * Listens on `port`. POST /graphql goes straight to Yoga's Node handler: converting every
 * request to a web Request for Hono and back cost a third of the gateway's throughput in the
 * benchmark. Everything else (GraphiQL, REST, health) goes through Hono.
 */
export function serveGateway(
  app: GatewayApp,
  options: { port: number; hostname?: string },
  onListen?: (info: AddressInfo) => void,
): Server {
  const hono = getRequestListener(app.fetch);
  const server = createServer((req, res) => {
    if (req.method === 'POST' && (req.url === '/graphql' || req.url?.startsWith('/graphql?'))) {
      void app.yoga(req, res, { origin: originOfNode(req) });
      return;
    }
    void hono(req, res);
  });
  server.listen(options.port, options.hostname, () => onListen?.(server.address() as AddressInfo));
  return server;
}
