import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import type { Hono } from 'hono';

export type Running = { url: string; port: number; server: ServerType; close(): Promise<void> };

/** Serves a simulator on loopback: port 0 (any free port) unless one is given. */
export function listen(app: Hono, port = 0, hostname = '127.0.0.1'): Promise<Running> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info: AddressInfo) => {
      resolve({
        url: `http://${hostname}:${info.port}`,
        port: info.port,
        server,
        close: () =>
          new Promise<void>((r) => {
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => r());
          }),
      });
    });
  });
}
