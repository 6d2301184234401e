import type { Role } from '../api/types';
import { readJson, writeJson, type KeyValueStorage } from './storage';

// The signed-in agent. The token is kept in sessionStorage: it lives as
// long as the tab, and a closed tab forgets it.

export interface Session {
  token: string;
  tenant: string;
  agent: { id: string; name: string; role: Role };
  /** null: the token does not expire (a pasted API token). */
  expiresAt: string | null;
  via: 'password' | 'token';
}

export const SESSION_KEY = 'atende.session';

export function loadSession(storage: KeyValueStorage, now: number): Session | null {
  const s = readJson<Session>(storage, SESSION_KEY);
  if (!s || typeof s.token !== 'string' || !s.agent || typeof s.agent.id !== 'string') {
    return null;
  }
  if (!isSessionValid(s, now)) {
    storage.removeItem(SESSION_KEY);
    return null;
  }
  return s;
}

export function saveSession(storage: KeyValueStorage, s: Session): void {
  writeJson(storage, SESSION_KEY, s);
}

export function clearSession(storage: KeyValueStorage): void {
  storage.removeItem(SESSION_KEY);
}

export function isSessionValid(s: Session, now: number): boolean {
  return s.expiresAt === null || Date.parse(s.expiresAt) > now;
}

/** Tenant tokens read `<tenant>~<64 hex>` (docs/api.md); the tenant part is not secret. */
export function tenantOfToken(token: string): string | null {
  const i = token.indexOf('~');
  return i > 0 ? token.slice(0, i) : null;
}
