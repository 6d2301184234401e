import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from './client';
import { ApiError } from './error';

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(responses: Array<{ status: number; body?: unknown; text?: string }>) {
  const calls: Call[] = [];
  const fn = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const next = responses.shift();
    if (!next) {
      throw new TypeError('Failed to fetch');
    }
    const text = next.text ?? (next.body === undefined ? '' : JSON.stringify(next.body));
    return new Response(next.status === 204 ? null : text, { status: next.status });
  });
  return { fn: fn as unknown as typeof fetch, calls };
}

describe('ApiClient', () => {
  it('SendsTheBearerTokenAndDropsEmptyQueryValues', async () => {
    const f = fakeFetch([{ status: 200, body: { items: [], next_cursor: null, counts: { all: 0, mine: 0, unassigned: 0 } } }]);
    const api = new ApiClient({ getToken: () => 'acme~abc', fetch: f.fn });
    await api.listConversations({ view: 'mine', status: 'open', sort: 'oldest', channel: '', tag: 'vip' }, { limit: 50 });
    expect(f.calls[0]!.url).toBe('/v1/conversations?view=mine&status=open&sort=oldest&tag=vip&limit=50');
    expect((f.calls[0]!.init.headers as Record<string, string>).Authorization).toBe('Bearer acme~abc');
  });

  it('SignInSendsNoToken', async () => {
    const f = fakeFetch([{ status: 201, body: { token: 't', agent: { id: 'ana', name: 'Ana', role: 'agent' }, expires_at: null } }]);
    const api = new ApiClient({ getToken: () => 'old', fetch: f.fn });
    const s = await api.signIn({ tenant: 'acme', login: 'ana', password: 'secret-password' });
    expect(s.token).toBe('t');
    expect((f.calls[0]!.init.headers as Record<string, string>).Authorization).toBeUndefined();
    expect(f.calls[0]!.init.method).toBe('POST');
    expect(JSON.parse(String(f.calls[0]!.init.body))).toEqual({ tenant: 'acme', login: 'ana', password: 'secret-password' });
  });

  it('ErrorsCarryTheApiMessage', async () => {
    const f = fakeFetch([
      { status: 422, body: { error: { code: 'window_closed', message: 'text: the 24-hour window is closed', field: 'text' } } },
    ]);
    const api = new ApiClient({ getToken: () => 't', fetch: f.fn });
    const err = await api.send('c1', { text: 'oi' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.status).toBe(422);
    expect(e.code).toBe('window_closed');
    expect(e.message).toBe('text: the 24-hour window is closed');
    expect(e.field).toBe('text');
    expect(e.isDefinite).toBe(true);
  });

  it('ConversationOpenKeepsTheConversationId', async () => {
    const f = fakeFetch([
      { status: 409, body: { error: { code: 'conversation_open', message: 'already open', conversation_id: 'c25' } } },
    ]);
    const api = new ApiClient({ getToken: () => 't', fetch: f.fn });
    const e = (await api.startConversation({ channel: 'wa1', to: '5511987654321', text: 'oi' }).catch((x: unknown) => x)) as ApiError;
    expect(e.conversationId).toBe('c25');
  });

  it('NonApiErrorBodiesStillGiveAMessage', async () => {
    const f = fakeFetch([{ status: 502, text: 'Bad Gateway' }]);
    const api = new ApiClient({ getToken: () => 't', fetch: f.fn });
    const e = (await api.listChannels().catch((x: unknown) => x)) as ApiError;
    expect(e.code).toBe('http_502');
    expect(e.message).toBe('Bad Gateway');
    expect(e.isDefinite).toBe(false);
  });

  it('NetworkFailureIsStatusZero', async () => {
    const f = fakeFetch([]);
    const api = new ApiClient({ getToken: () => 't', fetch: f.fn });
    const e = (await api.listTeams().catch((x: unknown) => x)) as ApiError;
    expect(e.isNetwork).toBe(true);
    expect(e.message).toBe('Failed to fetch');
  });

  it('UnauthorizedWithATokenEndsTheSession', async () => {
    const f = fakeFetch([{ status: 401, body: { error: { code: 'unauthorized', message: 'unknown token' } } }]);
    const onUnauthorized = vi.fn();
    const api = new ApiClient({ getToken: () => 't', fetch: f.fn, onUnauthorized });
    await api.listReasons().catch(() => undefined);
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('BadCredentialsDoNotCountAsAnEndedSession', async () => {
    const f = fakeFetch([{ status: 401, body: { error: { code: 'bad_credentials', message: 'wrong tenant, login or password' } } }]);
    const onUnauthorized = vi.fn();
    const api = new ApiClient({ getToken: () => null, fetch: f.fn, onUnauthorized });
    const e = (await api.signIn({ tenant: 'a', login: 'b', password: 'c' }).catch((x: unknown) => x)) as ApiError;
    expect(e.code).toBe('bad_credentials');
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('ListAllFollowsCursorsToTheEnd', async () => {
    const f = fakeFetch([
      { status: 200, body: { items: [{ id: 'a' }], next_cursor: 'x1' } },
      { status: 200, body: { items: [{ id: 'b' }], next_cursor: null } },
    ]);
    const api = new ApiClient({ getToken: () => 't', fetch: f.fn });
    const items = await api.listAll<{ id: string }>('/v1/teams');
    expect(items.map((i) => i.id)).toEqual(['a', 'b']);
    expect(f.calls[1]!.url).toBe('/v1/teams?limit=500&cursor=x1');
  });

  it('NoContentRepliesResolve', async () => {
    const f = fakeFetch([{ status: 204 }]);
    const api = new ApiClient({ getToken: () => 't', fetch: f.fn });
    await expect(api.signOut()).resolves.toBeUndefined();
    expect(f.calls[0]!.url).toBe('/v1/sessions/current');
    expect(f.calls[0]!.init.method).toBe('DELETE');
  });

  it('StreamUrlCarriesTheTokenAndResumePosition', () => {
    const api = new ApiClient({ baseUrl: 'http://h:8080/', getToken: () => 't' });
    expect(api.streamUrl('acme~x', null)).toBe('http://h:8080/v1/stream?access_token=acme%7Ex');
    expect(api.streamUrl('t', '42')).toBe('http://h:8080/v1/stream?access_token=t&last_event_id=42');
  });

  it('IdsArePathEncoded', async () => {
    const f = fakeFetch([{ status: 200, body: { added: 1, removed: 0 } }]);
    const api = new ApiClient({ getToken: () => 't', fetch: f.fn });
    await api.addToPortfolio('c:1/2', 'gold');
    expect(f.calls[0]!.url).toBe('/v1/conversations/c%3A1%2F2/portfolios');
    expect(JSON.parse(String(f.calls[0]!.init.body))).toEqual({ portfolio: 'gold' });
  });
});
