import { signal } from '@preact/signals';
import { toApiError, type ApiError } from '../api/error';
import { clearSession, loadSession, saveSession, tenantOfToken, type Session } from './session';
import type { Store } from './store';

/**
 * AuthSlice: who is signed in. Sign-in by tenant, login and password
 * (POST /v1/sessions) or, until every agent has a password, by pasting an
 * agent's API token.
 */
export class AuthSlice {
  readonly session = signal<Session | null>(null);
  /** Why the agent is back at the sign-in screen (the API's message). */
  readonly notice = signal<string | null>(null);

  /** A pasted token being checked: its 401 is the form's error, not an ended session. */
  private checkingToken = false;

  constructor(private readonly store: Store) {}

  get token(): string | null {
    return this.session.value?.token ?? null;
  }

  /** A session kept in this tab: resume it. */
  restore(): boolean {
    const s = loadSession(this.store.deps.session, this.store.deps.now());
    if (!s) {
      return false;
    }
    this.session.value = s;
    this.store.startSession();
    return true;
  }

  async signIn(tenant: string, login: string, password: string): Promise<void> {
    const created = await this.store.deps.api.signIn({ tenant, login, password });
    this.begin({
      token: created.token,
      tenant,
      agent: created.agent,
      expiresAt: created.expires_at ?? null,
      via: 'password',
    });
  }

  /** An agent's API token; the agent id names whose it is (the API has no "who am I"). */
  async signInWithToken(token: string, agentId: string): Promise<void> {
    const provisional: Session = {
      token,
      tenant: tenantOfToken(token) ?? '',
      agent: { id: agentId, name: agentId, role: 'agent' },
      expiresAt: null,
      via: 'token',
    };
    this.session.value = provisional;
    this.checkingToken = true;
    try {
      const row = await this.store.deps.api.getAgent(agentId);
      this.checkingToken = false;
      this.begin({ ...provisional, agent: { id: row.id, name: row.name, role: row.role } });
    } catch (e) {
      this.checkingToken = false;
      this.session.value = null;
      throw toApiError(e);
    }
  }

  private begin(s: Session): void {
    this.notice.value = null;
    this.session.value = s;
    saveSession(this.store.deps.session, s);
    this.store.startSession();
  }

  async signOut(): Promise<void> {
    const s = this.session.value;
    if (s?.via === 'password') {
      try {
        await this.store.deps.api.signOut();
      } catch {
        // The token is forgotten here whatever the server says.
      }
    }
    this.end(null);
  }

  /** A 401 on a signed-in request: the session ended elsewhere or expired. */
  expire(error: ApiError): void {
    if (this.session.value && !this.checkingToken) {
      this.end(error.message);
    }
  }

  private end(notice: string | null): void {
    clearSession(this.store.deps.session);
    this.session.value = null;
    this.notice.value = notice;
    this.store.endSession();
  }
}
