import { signal } from '@preact/signals';
import type { Role } from '../api/types';

// Hash routes (#/inbox/c25): the server serves one index.html at `/`, so
// the path part never reaches it. The table is where later screens
// (admin, supervisors' board) add their routes, with the role they need.

export type RouteName =
  | 'inbox'
  | 'conversation'
  | 'new-conversation'
  // The administrators' and supervisors' screens (role admin).
  | 'admin-board'
  | 'admin-portfolios'
  | 'admin-contacts'
  | 'admin-settings';

export interface RouteDef {
  name: RouteName;
  /** Segments; ":id" captures one. */
  path: string;
  /** Only agents of this role may open it. */
  requires?: Role;
}

export const ROUTES: readonly RouteDef[] = [
  { name: 'inbox', path: '/inbox' },
  { name: 'conversation', path: '/inbox/:id' },
  { name: 'new-conversation', path: '/new' },
  { name: 'admin-board', path: '/admin/board', requires: 'admin' },
  { name: 'admin-portfolios', path: '/admin/portfolios', requires: 'admin' },
  { name: 'admin-contacts', path: '/admin/contacts', requires: 'admin' },
  { name: 'admin-settings', path: '/admin/settings/:section', requires: 'admin' },
];

/** Whether a route is one of the administration screens. */
export function isAdminRoute(name: RouteName): boolean {
  return name.startsWith('admin-');
}

export interface Route {
  name: RouteName;
  params: Readonly<Record<string, string>>;
}

export const DEFAULT_ROUTE: Route = { name: 'inbox', params: {} };

export function parseRoute(hash: string, role: Role | null = null): Route {
  const path = hash.replace(/^#/, '').split('?')[0] || '/';
  const parts = path.split('/').filter(Boolean);
  for (const def of ROUTES) {
    const want = def.path.split('/').filter(Boolean);
    if (want.length !== parts.length) {
      continue;
    }
    const params: Record<string, string> = {};
    const ok = want.every((seg, i) => {
      const got = parts[i]!;
      if (seg.startsWith(':')) {
        params[seg.slice(1)] = decodeURIComponent(got);
        return true;
      }
      return seg === got;
    });
    if (ok && (!def.requires || def.requires === role)) {
      return { name: def.name, params };
    }
  }
  return DEFAULT_ROUTE;
}

export function href(name: RouteName, params: Record<string, string> = {}): string {
  const def = ROUTES.find((r) => r.name === name)!;
  const path = def.path
    .split('/')
    .map((seg) => (seg.startsWith(':') ? encodeURIComponent(params[seg.slice(1)] ?? '') : seg))
    .join('/');
  return `#${path}`;
}

/** The current hash, kept up to date by `followHash`. */
export const currentHash = signal<string>(typeof location === 'undefined' ? '' : location.hash);

export function followHash(): () => void {
  const update = () => {
    currentHash.value = location.hash;
  };
  window.addEventListener('hashchange', update);
  update();
  return () => window.removeEventListener('hashchange', update);
}

export function navigate(name: RouteName, params: Record<string, string> = {}): void {
  location.hash = href(name, params);
}
