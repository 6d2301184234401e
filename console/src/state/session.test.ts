import { describe, expect, it } from 'vitest';
import { clearSession, loadSession, saveSession, tenantOfToken, type Session } from './session';
import { MemoryStorage } from './storage';

const NOW = Date.parse('2026-11-21T12:00:00.000Z');
const session: Session = {
  token: 'acme~abc',
  tenant: 'acme',
  agent: { id: 'ana', name: 'Ana', role: 'agent' },
  expiresAt: '2026-11-21T20:00:00.000Z',
  via: 'password',
};

describe('session', () => {
  it('IsKeptInStorageUntilItExpires', () => {
    const storage = new MemoryStorage();
    saveSession(storage, session);
    expect(loadSession(storage, NOW)).toEqual(session);
    expect(loadSession(storage, Date.parse('2026-11-21T20:00:00.000Z'))).toBeNull();
    expect(loadSession(storage, NOW)).toBeNull();
  });

  it('APastedTokenDoesNotExpire', () => {
    const storage = new MemoryStorage();
    saveSession(storage, { ...session, expiresAt: null, via: 'token' });
    expect(loadSession(storage, NOW + 1e12)?.via).toBe('token');
    clearSession(storage);
    expect(loadSession(storage, NOW)).toBeNull();
  });

  it('ReadsTheTenantOfAToken', () => {
    expect(tenantOfToken('acme~0123')).toBe('acme');
    expect(tenantOfToken('0123')).toBeNull();
  });
});
