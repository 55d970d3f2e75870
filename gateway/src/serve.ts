import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { GatewayApp } from './app.ts';

/**
 * Whether Yoga may read this body itself: its length is declared and within the limit (Node
 * enforces a declared length). Chunked or oversized bodies take the Hono path, whose body limit
 * counts the stream and answers 413.
 */
function withinLimit(req: IncomingMessage, max: number): boolean {
  const length = req.headers['content-length'];
  if (length === undefined || req.headers['transfer-encoding'] !== undefined) return false;
  const n = Number(length);
  return Number.isInteger(n) && n <= max;
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
    if (
      req.method === 'POST' &&
      (req.url === '/graphql' || req.url?.startsWith('/graphql?')) &&
      withinLimit(req, app.maxBodyBytes)
    ) {
      void app.yoga(req, res, { origin: app.origins.ofNode(req) });
      return;
    }
    void hono(req, res);
  });
  server.listen(options.port, options.hostname, () => onListen?.(server.address() as AddressInfo));
  return server;
}
