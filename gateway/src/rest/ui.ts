import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Hono } from 'hono';
import { UI_CACHE_MARK } from './security-headers.ts';

// The built web application (dashboards/dist) at `/`. Its file names under assets/ carry a
// content hash, so a browser keeps them for a year; index.html is revalidated every time, so a
// new release is picked up at the next load. Personal data never travels here: the screens
// fetch it from /graphql and /api, which stay no-store.

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

// Paths the API owns: an unknown one there is a 404 of the API, never the application's page.
const API_PREFIXES = [
  '/graphql',
  '/api/',
  '/oauth/',
  '/health',
  '/openapi.json',
  '/waas/',
  '/cubejs-api/',
];

async function fileAt(root: string, urlPath: string): Promise<string | null> {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const full = normalize(join(root, rel));
  if (full !== root && !full.startsWith(root + sep)) return null;
  try {
    return (await stat(full)).isFile() ? full : null;
  } catch {
    return null;
  }
}

const gzipAsync = promisify(gzip);
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt']);

export function uiRoutes(deps: { uiDir: string | null }) {
  const app = new Hono();
  const root = deps.uiDir ? normalize(deps.uiDir) : null;
  // Compressed once per file version (path and modification time), not at every request.
  const gzipped = new Map<string, { mtimeMs: number; body: Buffer }>();
  const compressed = async (file: string, body: Buffer) => {
    const { mtimeMs } = await stat(file);
    const hit = gzipped.get(file);
    if (hit && hit.mtimeMs === mtimeMs) return hit.body;
    const gz = await gzipAsync(body, { level: 9 });
    gzipped.set(file, { mtimeMs, body: gz });
    return gz;
  };
  app.get('*', async (c, next) => {
    const path = c.req.path;
    if (!root || API_PREFIXES.some((p) => path === p.replace(/\/$/, '') || path.startsWith(p)))
      return next();
    const file = await fileAt(root, path === '/' ? '/index.html' : path);
    if (!file) return next();
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      // Not built: the API answers anyway; `npm start` builds the UI before listening.
      return c.text(
        "Interfaccia non ancora compilata: eseguire 'npm run build --workspace @hub/dashboards'.",
        503,
      );
    }
    const immutable = file.startsWith(join(root, 'assets') + sep);
    const headers: Record<string, string> = {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      Vary: 'Accept-Encoding',
      [UI_CACHE_MARK]: '1',
    };
    if (COMPRESSIBLE.has(extname(file)) && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
      headers['Content-Encoding'] = 'gzip';
      body = await compressed(file, body);
    }
    return c.body(new Uint8Array(body), 200, headers);
  });
  return app;
}
