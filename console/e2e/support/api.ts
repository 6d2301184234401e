import { randomBytes } from 'node:crypto';

/**
 * The test's own hands on the HTTP API (docs/api.md): what an operator, an
 * admin or a WhatsApp connector would do around the agent who uses the
 * console. Every call throws ApiCallError unless the answer is 2xx.
 */
export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} → ${status} ${JSON.stringify(body)}`);
  }
}

export class Api {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  as(token: string): Api {
    return new Api(this.baseUrl, token);
  }

  /** The raw answer, whatever its status. */
  async raw(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${this.token}` };
    const init: RequestInit = { method, headers };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch(`${this.baseUrl}${path}`, init);
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: res.status, body: json };
  }

  async call<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.raw(method, path, body);
    if (res.status < 200 || res.status >= 300) {
      throw new ApiCallError(res.status, res.body, `${method} ${path}${body === undefined ? '' : ` ${JSON.stringify(body)}`}`);
    }
    return res.body as T;
  }

  /** The bytes of a binary answer (media), with its type. */
  async bytes(path: string): Promise<{ type: string; bytes: Uint8Array }> {
    const res = await fetch(`${this.baseUrl}${path}`, { headers: { Authorization: `Bearer ${this.token}` } });
    if (!res.ok) {
      throw new ApiCallError(res.status, await res.text(), `GET ${path}`);
    }
    return { type: res.headers.get('content-type') ?? '', bytes: new Uint8Array(await res.arrayBuffer()) };
  }

  get<T = any>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  post<T = any>(path: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }
}

export interface AgentAccount {
  id: string;
  name: string;
  token: string;
  login: string;
  password: string;
}

/** A tenant with its admin, and the setup calls of the walk-through (README.md). */
export class Tenant {
  constructor(
    readonly id: string,
    readonly admin: Api,
  ) {}

  static async create(baseUrl: string, rootToken: string, id = 'acme', name = 'Acme Calçados'): Promise<Tenant> {
    const created = await new Api(baseUrl, rootToken).post('/v1/tenants', { id, name, timezone: 'America/Sao_Paulo' });
    return new Tenant(id, new Api(baseUrl, created.admin.token));
  }

  team(id: string, name: string, more: Record<string, unknown> = {}): Promise<unknown> {
    return this.admin.post('/v1/teams', { id, name, distribution: 'manual', ...more });
  }

  channel(id: string, name: string, phone: string, defaultTeam: string): Promise<unknown> {
    return this.admin.post('/v1/channels', { id, kind: 'whatsapp', name, phone, phone_number_id: `pn-${id}`, default_team: defaultTeam });
  }

  /**
   * An agent with a token and, for sign-in by password once the server
   * has it, a login and a password (ignored by a server without sessions).
   */
  async agent(id: string, name: string, teams: string[], more: Record<string, unknown> = {}): Promise<AgentAccount> {
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const created = await this.admin.post('/v1/agents', { id, name, role: 'agent', teams, login: id, password, ...more });
    return { id, name, token: created.token, login: id, password };
  }

  reason(id: string, name: string): Promise<unknown> {
    return this.admin.post('/v1/reasons', { id, name });
  }

  /** Envelopes as a connector posts them (POST /v1/events); returns each result. */
  async events(envelopes: Array<{ id: string; type: string; at?: string; data: Record<string, unknown> }>): Promise<EventResult[]> {
    const body = envelopes.map((e) => ({ tenant: this.id, at: new Date().toISOString(), ...e }));
    const reply = await this.admin.post<{ results: EventResult[] }>('/v1/events', body);
    const rejected = reply.results.filter((r) => r.status === 'rejected');
    if (rejected.length > 0) {
      throw new Error(`envelopes rejected: ${JSON.stringify(rejected)}`);
    }
    return reply.results;
  }

  /** A customer's WhatsApp text; returns the conversation it landed in. */
  async customerWrites(channel: string, from: string, name: string, text: string): Promise<string> {
    const id = `wamid.${randomBytes(6).toString('hex')}`;
    const [result] = await this.events([{ id, type: 'message.received', data: { channel, from, name, message_id: id, kind: 'text', text } }]);
    return result!.conversation!;
  }

  /** The connector reports a delivery status of an outbound message. */
  async deliveryStatus(channel: string, messageId: string, status: 'sent' | 'delivered' | 'read' | 'failed'): Promise<void> {
    await this.events([{ id: `st.${messageId}.${status}`, type: 'message.status', data: { channel, message_id: messageId, status } }]);
  }
}

export interface EventResult {
  id: string;
  status: 'accepted' | 'duplicate' | 'rejected';
  conversation?: string;
  error?: unknown;
}
