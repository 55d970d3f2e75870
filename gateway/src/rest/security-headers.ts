// Headers every answer of the gateway carries, from Hono and from Yoga's own Node handler alike.

// The API answers JSON, files and text: nothing in them may load anything or be framed.
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

// The GraphiQL page (development only, see config.ts) is one self-hosted HTML file whose scripts
// and styles are inline and whose editor starts workers from blob: URLs. Nothing is fetched
// from elsewhere: 'self' for the GraphQL calls, no third-party origin anywhere.
const GRAPHIQL_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

// The web application (rest/ui.ts): its own scripts and styles only, no inline script, no
// eval; data: images and one data: font (the kit's CSS icons, its video player's glyphs); the API on the same origin. Svelte sets styles
// through the CSSOM, which style-src does not govern, so no 'unsafe-inline' anywhere.
const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** Set by the UI route on its static files: they get the UI's CSP and keep their cache policy. */
export const UI_CACHE_MARK = 'x-hub-ui-static';

/** Sets the security headers on an answer (in place); `Cache-Control` unless already chosen. */
export function applySecurityHeaders(headers: Headers): void {
  const ui = headers.has(UI_CACHE_MARK);
  headers.delete(UI_CACHE_MARK);
  const html = headers.get('content-type')?.startsWith('text/html') ?? false;
  headers.set('Content-Security-Policy', ui ? UI_CSP : html ? GRAPHIQL_CSP : API_CSP);
  headers.set('X-Content-Type-Options', 'nosniff');
  headers.set('X-Frame-Options', 'DENY');
  headers.set('Referrer-Policy', 'no-referrer');
  // GraphQL answers and exports carry personal data, and a health or schema answer is cheap to
  // recompute: no cache (browser, proxy) keeps any of them. The UI's static files hold no
  // personal data and set their own (hashed assets: a year; index.html: revalidate).
  if (!ui) headers.set('Cache-Control', 'no-store');
}
