import { getContext, setContext } from 'svelte';

// Hash routes (`#/accesso/schede/…`): the gateway serves one index.html and the API keeps every
// other path; a reload or a shared link lands on the same screen.

export type Route = { path: string; segments: string[]; query: URLSearchParams };

function parse(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [path = '/', search = ''] = raw.split('?');
  return {
    path,
    segments: path.split('/').filter(Boolean).map(decodeURIComponent),
    query: new URLSearchParams(search),
  };
}

export class Router {
  route = $state<Route>(parse(typeof location === 'undefined' ? '' : location.hash));

  constructor() {
    if (typeof window !== 'undefined')
      window.addEventListener('hashchange', () => {
        this.route = parse(location.hash);
      });
  }

  navigate(path: string): void {
    if (location.hash === `#${path}`) this.route = parse(location.hash);
    else location.hash = path;
  }

  /** `/accesso/schede/:id` against the current route: the named parts, or null. */
  match(pattern: string): Record<string, string> | null {
    const parts = pattern.split('/').filter(Boolean);
    const segs = this.route.segments;
    if (parts.length !== segs.length) return null;
    const params: Record<string, string> = {};
    for (const [i, part] of parts.entries()) {
      const seg = segs[i] as string;
      if (part.startsWith(':')) params[part.slice(1)] = seg;
      else if (part !== seg) return null;
    }
    return params;
  }
}

const KEY = Symbol('router');
export const setRouterContext = (r: Router) => setContext(KEY, r);
export function getRouterContext(): Router {
  const r = getContext<Router | undefined>(KEY);
  if (!r) throw new Error('getRouterContext outside the application');
  return r;
}
