import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySecurityHeaders } from './security-headers.ts';
import { uiRoutes } from './ui.ts';

describe('the web application route', () => {
  let dir: string;
  let app: Hono;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hub-ui-route-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>Hub</title>');
    await writeFile(join(dir, 'assets', 'index-abc123.js'), 'console.log("hub");'.repeat(50));
    await writeFile(join(tmpdir(), 'hub-ui-secret.txt'), 'outside');
    app = new Hono();
    app.use('*', async (c, next) => {
      await next();
      applySecurityHeaders(c.res.headers);
    });
    app.get('/health', (c) => c.json({ status: 'ok' }));
    app.route('/', uiRoutes({ uiDir: dir }));
    app.get('/', (c) => c.redirect('/graphql'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('should serve index.html at / with the UI policy and revalidation', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-hub-ui-static')).toBeNull();
  });

  it('should let browsers keep the hashed assets for a year, compressed when asked', async () => {
    const res = await app.request('/assets/index-abc123.js', {
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString()).toContain('console.log');
  });

  it('should never serve a file outside the build, nor shadow the API', async () => {
    expect((await app.request('/..%2fhub-ui-secret.txt')).status).toBe(404);
    expect((await app.request('/assets/../../hub-ui-secret.txt')).status).toBe(404);
    const health = await app.request('/health');
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(health.headers.get('cache-control')).toBe('no-store');
    expect((await app.request('/graphql/nothing')).status).toBe(404);
  });

  it('should leave / to the next route when there is no build', async () => {
    const bare = new Hono();
    bare.route('/', uiRoutes({ uiDir: join(dir, 'missing') }));
    bare.get('/', (c) => c.redirect('/graphql'));
    const res = await bare.request('/');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/graphql');
  });
});
