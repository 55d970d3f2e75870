import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as soap from 'soap';
import { type Faults, sleep } from './faults.ts';

/**
 * Hosts SOAP services from their published WSDL with the `soap` package's server, on loopback.
 * Transport-level faults (latency, a hang, an HTTP 5xx that is not a SOAP fault) are acted out
 * before the request reaches the SOAP server; SOAP faults are the services' own business.
 */
export async function hostSoap(
  services: { path: string; wsdlFile: string; services: soap.IServices }[],
  faults: Faults,
  port = 0,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer();
  // The SOAP server installs its request listener once the WSDL is parsed (asynchronously).
  for (const s of services) {
    await new Promise<void>((resolve, reject) =>
      soap.listen(server, {
        path: s.path,
        services: s.services,
        xml: readFileSync(s.wsdlFile, 'utf8'),
        uri: s.wsdlFile,
        suppressStack: true,
        callback: (err: unknown) => (err ? reject(err) : resolve()),
      }),
    );
  }
  const handlers = server.listeners('request') as ((
    req: IncomingMessage,
    res: ServerResponse,
  ) => void)[];
  server.removeAllListeners('request');
  server.on('request', async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'POST') {
      const f = faults.pick(['latency', 'timeout', 'http5xx']);
      if (f === 'latency') await sleep(faults.plan?.latencyMs ?? 200);
      if (f === 'timeout') await sleep(faults.plan?.hangMs ?? 10_000);
      if (f === 'http5xx') {
        req.resume();
        res
          .writeHead(502, { 'content-type': 'text/html' })
          .end('<html><body>Bad Gateway</body></html>');
        return;
      }
    }
    for (const h of handlers) h.call(server, req, res);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  const { port: p } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${p}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
