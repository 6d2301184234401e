import { ApiError } from './error';
import type {
  AgentBoard,
  BulkRequest,
  BulkResult,
  Channel,
  ContactsChanged,
  Conversation,
  Contact,
  ContactHistoryItem,
  ConversationDetail,
  ConversationPage,
  ConversationQuery,
  ErrorBody,
  FinishRequest,
  Page,
  PauseType,
  PortfolioItem,
  ReactResult,
  Reason,
  SendRequest,
  SendResult,
  UploadedMedia,
  SessionCreated,
  SessionRequest,
  StartRequest,
  Team,
  Template,
  TimelineItem,
  TransferRequest,
  AgentStatus,
} from './types';

/**
 * ApiClient is the console's only way to the atende HTTP API. It adds the
 * bearer token, turns every failure into an ApiError carrying the API's
 * `error.message`, and knows the paths; nothing else in the console builds
 * a URL.
 *
 *   const api = new ApiClient({ getToken: () => store.token });
 *   const page = await api.listConversations({ view: 'mine', status: 'open', sort: 'recent' });
 */
export interface ApiClientOptions {
  /** Empty for the same origin (the console is served by `atende serve`). */
  baseUrl?: string;
  getToken: () => string | null;
  fetch?: typeof fetch;
  /** Called on a 401 of a request made with a token (session ended). */
  onUnauthorized?: (error: ApiError) => void;
}

type Query = Record<string, string | number | undefined | null>;

interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** A file sent as it is, with its own type (an upload). */
  file?: Blob;
  /** false: send no token (sign-in). */
  auth?: boolean;
  signal?: AbortSignal;
}

/** The biggest page the API serves. */
export const MAX_LIMIT = 500;

export class ApiClient {
  private readonly baseUrl: string;
  private readonly getToken: () => string | null;
  private readonly fetchImpl: typeof fetch;
  private readonly onUnauthorized: ((error: ApiError) => void) | undefined;

  constructor(options: ApiClientOptions) {
    this.baseUrl = (options.baseUrl ?? '').replace(/\/$/, '');
    this.getToken = options.getToken;
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.onUnauthorized = options.onUnauthorized;
  }

  /** The absolute or same-origin URL of an API path with its query. */
  url(path: string, query?: Query): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null && value !== '') {
        params.set(key, String(value));
      }
    }
    const qs = params.toString();
    return `${this.baseUrl}${path}${qs ? `?${qs}` : ''}`;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = options.auth === false ? null : this.getToken();
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    const init: RequestInit = { method, headers };
    if (options.file !== undefined) {
      headers['Content-Type'] = options.file.type || 'application/octet-stream';
      init.body = options.file;
    } else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    if (options.signal) {
      init.signal = options.signal;
    }
    let response: Response;
    try {
      response = await this.fetchImpl(this.url(path, options.query), init);
    } catch (e) {
      throw new ApiError(0, { code: 'network', message: e instanceof Error ? e.message : String(e) });
    }
    if (response.status === 204) {
      return undefined as T;
    }
    const text = await response.text();
    const json = parseJson(text);
    if (!response.ok) {
      const error = new ApiError(response.status, errorDetail(response.status, json, text));
      if (response.status === 401 && token) {
        this.onUnauthorized?.(error);
      }
      throw error;
    }
    return json as T;
  }

  /** Every page of a configuration list (channels, teams…), in order. */
  async listAll<T>(path: string, query: Query = {}): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<T> = await this.request<Page<T>>('GET', path, {
        query: { ...query, limit: MAX_LIMIT, cursor },
      });
      items.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    return items;
  }

  // ---- sessions --------------------------------------------------------

  signIn(body: SessionRequest): Promise<SessionCreated> {
    return this.request('POST', '/v1/sessions', { body, auth: false });
  }

  signOut(): Promise<void> {
    return this.request('DELETE', '/v1/sessions/current');
  }

  // ---- configuration ---------------------------------------------------

  listChannels(): Promise<Channel[]> {
    return this.listAll('/v1/channels');
  }

  listTeams(): Promise<Team[]> {
    return this.listAll('/v1/teams');
  }

  /** The supervisors' board: every agent with status, pause and load. */
  listAgents(): Promise<AgentBoard[]> {
    return this.listAll('/v1/agents');
  }

  getAgent(id: string): Promise<AgentBoard> {
    return this.request('GET', `/v1/agents/${enc(id)}`);
  }

  listReasons(): Promise<Reason[]> {
    return this.listAll('/v1/reasons');
  }

  listPauseTypes(): Promise<PauseType[]> {
    return this.listAll('/v1/pause-types');
  }

  listTemplates(): Promise<Template[]> {
    return this.listAll('/v1/templates');
  }

  listPortfolios(): Promise<PortfolioItem[]> {
    return this.listAll('/v1/portfolios');
  }

  // ---- contacts --------------------------------------------------------

  getContact(id: string): Promise<Contact> {
    return this.request('GET', `/v1/contacts/${enc(id)}`);
  }

  /** The contact's finished conversations that the caller may see, newest first. */
  contactHistory(id: string, cursor: string | null = null, limit = 20): Promise<Page<ContactHistoryItem>> {
    return this.request('GET', `/v1/contacts/${enc(id)}/history`, { query: { limit, cursor } });
  }

  // ---- availability ----------------------------------------------------

  setStatus(status: AgentStatus): Promise<AgentBoard> {
    return this.request('POST', '/v1/agents/me/status', { body: { status } });
  }

  startPause(type: string): Promise<AgentBoard> {
    return this.request('POST', '/v1/agents/me/pause', { body: { type } });
  }

  endPause(): Promise<AgentBoard> {
    return this.request('DELETE', '/v1/agents/me/pause');
  }

  // ---- conversations ---------------------------------------------------

  listConversations(
    query: ConversationQuery,
    page: { limit?: number; cursor?: string | null } = {},
    signal?: AbortSignal,
  ): Promise<ConversationPage> {
    const options: RequestOptions = { query: { ...query, limit: page.limit, cursor: page.cursor } };
    if (signal) {
      options.signal = signal;
    }
    return this.request('GET', '/v1/conversations', options);
  }

  getConversation(id: string): Promise<ConversationDetail> {
    return this.request('GET', `/v1/conversations/${enc(id)}`);
  }

  timeline(id: string, cursor: string | null = null, limit = 100): Promise<Page<TimelineItem>> {
    return this.request('GET', `/v1/conversations/${enc(id)}/timeline`, { query: { limit, cursor } });
  }

  startConversation(body: StartRequest): Promise<Conversation> {
    return this.request('POST', '/v1/conversations', { body });
  }

  send(id: string, body: SendRequest): Promise<SendResult> {
    return this.request('POST', `/v1/conversations/${enc(id)}/messages`, { body });
  }

  /** An agent's file for a media send; WhatsApp's types and sizes are checked there. */
  uploadMedia(file: Blob, filename?: string): Promise<UploadedMedia> {
    return this.request('POST', '/v1/media', { file, query: { filename } });
  }

  /** A private note (contract "Working tools"): a message with direction note. */
  addNote(id: string, text: string): Promise<SendResult> {
    return this.request('POST', `/v1/conversations/${enc(id)}/notes`, { body: { text } });
  }

  /** An agent's reaction to a message; an empty emoji removes it. */
  react(id: string, messageId: string, emoji: string): Promise<ReactResult> {
    return this.request('POST', `/v1/conversations/${enc(id)}/messages/${enc(messageId)}/reaction`, { body: { emoji } });
  }

  assign(id: string, agent?: string): Promise<Conversation> {
    return this.request('POST', `/v1/conversations/${enc(id)}/assign`, { body: agent ? { agent } : {} });
  }

  transfer(id: string, body: TransferRequest): Promise<Conversation> {
    return this.request('POST', `/v1/conversations/${enc(id)}/transfer`, { body });
  }

  finish(id: string, body: FinishRequest): Promise<Conversation> {
    return this.request('POST', `/v1/conversations/${enc(id)}/finish`, { body });
  }

  bulk(body: BulkRequest): Promise<BulkResult> {
    return this.request('POST', '/v1/conversations/bulk', { body });
  }

  addToPortfolio(id: string, portfolio: string): Promise<ContactsChanged> {
    return this.request('POST', `/v1/conversations/${enc(id)}/portfolios`, { body: { portfolio } });
  }

  /** Media bytes need the token, so they are fetched, not linked. */
  async media(id: string): Promise<Blob> {
    const token = this.getToken();
    let response: Response;
    try {
      response = await this.fetchImpl(this.url(`/v1/media/${enc(id)}`), {
        headers: token ? { Authorization: `Bearer ${token}` } : {},
      });
    } catch (e) {
      throw new ApiError(0, { code: 'network', message: e instanceof Error ? e.message : String(e) });
    }
    if (!response.ok) {
      const text = await response.text();
      throw new ApiError(response.status, errorDetail(response.status, parseJson(text), text));
    }
    return response.blob();
  }

  /** The URL of the live stream: EventSource sets no headers, so the token rides in the query. */
  streamUrl(token: string, lastEventId: string | null): string {
    return this.url('/v1/stream', { access_token: token, last_event_id: lastEventId });
  }
}

function enc(id: string): string {
  return encodeURIComponent(id);
}

function parseJson(text: string): unknown {
  if (!text) {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorDetail(status: number, json: unknown, text: string) {
  const body = json as Partial<ErrorBody> | undefined;
  if (body && typeof body === 'object' && body.error && typeof body.error.message === 'string') {
    return { ...body.error, code: String(body.error.code ?? `http_${status}`) };
  }
  // Not an atende error (a proxy page, an empty body): keep what there is.
  const snippet = text.trim().slice(0, 200);
  return { code: `http_${status}`, message: snippet || `HTTP ${status}` };
}
