// The body limit over a real socket, on both ways into /graphql (serve.ts): a declared length goes
// straight to Yoga, whose own limit is off (yoga.ts); a chunked or oversized body takes Hono's.
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveGateway } from './serve.ts';
import { createTestApp } from './testing/test-app.ts';

const MAX = 4096;
let t: Awaited<ReturnType<typeof createTestApp>>;
let server: ReturnType<typeof serveGateway>;
let port: number;

beforeAll(async () => {
  t = await createTestApp({ env: { MAX_BODY_BYTES: String(MAX) } });
  server = serveGateway(t.app, { port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
}, 120_000);
afterAll(async () => {
  server?.close();
  await t?.close();
});

type Answer = { status: number; code: unknown; data: unknown };

/** POSTs `body` to /graphql, with a declared Content-Length or chunked (Transfer-Encoding). */
function post(body: string, chunked: boolean): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(chunked ? {} : { 'content-length': Buffer.byteLength(body) }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => {
          const json = JSON.parse(text) as {
            data?: unknown;
            errors?: { extensions?: { code?: unknown } }[];
          };
          resolve({
            status: res.statusCode ?? 0,
            code: json.errors?.[0]?.extensions?.code,
            data: json.data,
          });
        });
      },
    );
    req.on('error', reject);
    if (chunked) {
      // Several chunks, so no length is known before the end.
      for (let i = 0; i < body.length; i += 1000) req.write(body.slice(i, i + 1000));
    } else req.write(body);
    req.end();
  });
}

const query = (pad: number) =>
  JSON.stringify({ query: '{ __typename }', extensions: { pad: 'x'.repeat(pad) } });

describe('the GraphQL body limit over a socket', () => {
  it.each([
    ['declared', false],
    ['chunked', true],
  ])('should answer a %s body within MAX_BODY_BYTES', async (_, chunked) => {
    const answer = await post(query(MAX - 200), chunked);
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({ __typename: 'Query' });
  });

  it.each([
    ['declared', false],
    ['chunked', true],
  ])(
    'should refuse a %s body over MAX_BODY_BYTES with 413 PAYLOAD_TOO_LARGE',
    async (_, chunked) => {
      const answer = await post(query(MAX + 100), chunked);
      expect(answer.status).toBe(413);
      expect(answer.code).toBe('PAYLOAD_TOO_LARGE');
    },
  );
});
