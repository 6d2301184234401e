import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/error';
import type { ConversationPage } from '../api/types';
import type { LiveHandlers, LiveSource } from '../live/source';
import { fakeApi } from '../test/fake-api';
import { FakeScheduler } from '../test/fake-scheduler';
import { FakeServer } from '../test/fake-server';
import { at, boardRow, conv } from '../test/fixtures';
import type { ConsoleApi } from './deps';
import { saveSession } from './session';
import { MemoryStorage } from './storage';
import { PAGE_SIZE, Store } from './store';

class ManualSource implements LiveSource {
  handlers: LiveHandlers | null = null;
  pokes = 0;
  start(h: LiveHandlers): void {
    this.handlers = h;
  }
  stop(): void {
    this.handlers = null;
  }
  poke(): void {
    this.pokes++;
  }
}

const NOW = Date.parse('2026-11-21T12:00:00.000Z');

function setup(opts: { api?: (s: FakeServer) => Partial<ConsoleApi>; local?: MemoryStorage } = {}) {
  const server = new FakeServer('ana');
  server.board.set('ana', boardRow('ana', { name: 'Ana' }));
  const local = opts.local ?? new MemoryStorage();
  const session = new MemoryStorage();
  saveSession(session, { token: 'acme~t', tenant: 'acme', agent: { id: 'ana', name: 'Ana', role: 'agent' }, expiresAt: null, via: 'token' });
  const scheduler = new FakeScheduler();
  const source = new ManualSource();
  let n = 0;
  const store = new Store(
    { api: fakeApi(server, opts.api?.(server)), local, session, now: () => NOW, newId: () => `key${++n}`, scheduler },
    () => source,
  );
  return { server, store, source, scheduler, local };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await Promise.resolve();
  }
}

function ids(store: Store): string[] {
  return store.list.value.items.map((c) => c.id);
}

describe('Store: the inbox list', () => {
  it('PagesAsTheAgentScrollsAndStopsAtTheNullCursor', async () => {
    const { server, store } = setup();
    for (let i = 1; i <= PAGE_SIZE * 2 + 5; i++) {
      server.put(conv(`c${i}`, { last_activity_at: at(i) }));
    }
    expect(store.auth.restore()).toBe(true);
    await settle();
    expect(store.list.value.items).toHaveLength(PAGE_SIZE);
    await store.loadMore();
    await store.loadMore();
    expect(store.list.value.nextCursor).toBeNull();
    const requests = server.requests.filter((r) => r.startsWith('list')).length;
    await store.loadMore();
    expect(server.requests.filter((r) => r.startsWith('list')).length).toBe(requests);
    expect(new Set(ids(store)).size).toBe(PAGE_SIZE * 2 + 5);
    expect(ids(store)[0]).toBe(`c${PAGE_SIZE * 2 + 5}`);
  });

  it('EventsThatArriveDuringALoadAreNotLost', async () => {
    let release: (p: ConversationPage) => void = () => {};
    const { server, store, source } = setup({
      api: () => ({ listConversations: () => new Promise<ConversationPage>((r) => (release = r)) }),
    });
    server.put(conv('c1', { last_activity_at: at(1) }));
    store.auth.restore();
    const stale = await server.listConversations(store.list.value.query);
    source.handlers!.onEvent({ type: 'conversation.updated', data: conv('c2', { last_activity_at: at(5) }) });
    source.handlers!.onEvent({ type: 'conversation.updated', data: conv('c1', { last_activity_at: at(6), tags: ['vip'] }) });
    release(stale);
    await settle();
    expect(ids(store)).toEqual(['c1', 'c2']);
    expect(store.list.value.items[0]!.tags).toEqual(['vip']);
  });

  it('AnswersForAQueryTheAgentLeftAreDropped', async () => {
    const pending: Array<(p: ConversationPage) => void> = [];
    const { store } = setup({ api: () => ({ listConversations: () => new Promise<ConversationPage>((r) => pending.push(r)) }) });
    store.auth.restore();
    store.setQuery({ view: 'mine' });
    const page = (id: string): ConversationPage => ({ items: [conv(id, { status: 'open', assignee: 'ana' })], next_cursor: null, counts: { all: 1, mine: 1, unassigned: 0 } });
    pending[1]!(page('mine1'));
    pending[0]!(page('old'));
    await settle();
    expect(store.list.value.query.view).toBe('mine');
    expect(ids(store)).toEqual(['mine1']);
  });

  it('EmptyFiltersAreDroppedFromTheQuery', async () => {
    const { store } = setup();
    store.auth.restore();
    store.setQuery({ channel: 'wa1', tag: '' });
    expect(store.list.value.query).toEqual({ view: 'all', status: 'open', sort: 'recent', channel: 'wa1' });
  });

  it('ResetReloadsTheList', async () => {
    const { server, store, source } = setup();
    store.auth.restore();
    await settle();
    server.put(conv('c9'));
    source.handlers!.onEvent({ type: 'reset' });
    await settle();
    expect(ids(store)).toEqual(['c9']);
  });

  it('FilteredCountsAreAskedAgainWhenTheStreamChangesTheList', async () => {
    const { server, store, source, scheduler } = setup();
    server.put(conv('c1', { channel: 'wa1' }));
    store.auth.restore();
    source.handlers!.onMode('stream');
    store.setQuery({ channel: 'wa1' });
    await settle();
    expect(store.list.value.counts).toEqual({ all: 1, mine: 0, unassigned: 1 });
    const e = server.change('c1', { status: 'open', assignee: 'ana', last_activity_at: at(3) });
    source.handlers!.onEvent(e);
    expect(scheduler.pending).toEqual([1000]);
    scheduler.runAll();
    await settle();
    expect(store.list.value.counts).toEqual({ all: 1, mine: 1, unassigned: 0 });
  });

  it('SelectionFollowsTheList', async () => {
    const { server, store, source } = setup();
    server.put(conv('c1', { last_activity_at: at(1) }));
    server.put(conv('c2', { last_activity_at: at(2) }));
    store.auth.restore();
    await settle();
    store.setSelecting(true);
    store.selectAllLoaded();
    source.handlers!.onEvent(server.change('c1', { status: 'finished', last_activity_at: at(3) }));
    expect([...store.selection.value]).toEqual(['c2']);
  });
});

describe('Store: the agent', () => {
  it('KnowsItsOwnBoardRow', async () => {
    const { store } = setup();
    store.auth.restore();
    await settle();
    expect(store.me.value?.name).toBe('Ana');
  });

  it('AnExpiredSessionShowsTheApiMessageAndForgetsEverything', async () => {
    const { store } = setup();
    store.auth.restore();
    await settle();
    store.composer.setText('c1', 'rascunho');
    store.auth.expire(new ApiError(401, { code: 'unauthorized', message: 'unknown token' }));
    expect(store.auth.session.value).toBeNull();
    expect(store.auth.notice.value).toBe('unknown token');
    expect(store.composer.drafts.value).toEqual({});
    expect(store.list.value.items).toEqual([]);
  });
});

describe('Store: drafts and sending', () => {
  it('DraftsArePerConversationAndSurviveAReload', async () => {
    const local = new MemoryStorage();
    const first = setup({ local });
    first.store.auth.restore();
    first.store.composer.setText('c1', 'Olá, João');
    first.store.composer.setText('c2', 'Bom dia');
    const second = setup({ local });
    second.store.auth.restore();
    expect(second.store.composer.text('c1')).toBe('Olá, João');
    expect(second.store.composer.text('c2')).toBe('Bom dia');
  });

  it('AFailedSendKeepsTheTextAndShowsTheApiMessage', async () => {
    const { server, store } = setup();
    server.put(conv('c1', { status: 'open', assignee: 'ana' }));
    server.sendFailures.push(new ApiError(422, { code: 'window_closed', message: 'text: the 24-hour window is closed' }));
    store.auth.restore();
    store.composer.setText('c1', 'Oi!');
    expect(await store.composer.sendText('c1')).toBe(false);
    expect(store.composer.text('c1')).toBe('Oi!');
    expect(store.composer.state('c1').error?.message).toBe('text: the 24-hour window is closed');
    // a definite refusal: the next attempt is a new message
    expect(store.composer.drafts.value.c1?.idempotencyKey).toBeUndefined();
  });

  it('ARetryAfterANetworkFailureReusesTheIdempotencyKey', async () => {
    const { server, store } = setup();
    server.put(conv('c1', { status: 'open', assignee: 'ana' }));
    server.sendFailures.push(new ApiError(0, { code: 'network', message: 'Failed to fetch' }));
    store.auth.restore();
    store.composer.setText('c1', 'Oi!');
    await store.composer.sendText('c1');
    expect(store.composer.text('c1')).toBe('Oi!');
    await store.composer.sendText('c1');
    const sends = server.requests.filter((r) => r.startsWith('send'));
    expect(sends).toEqual(['send c1 Oi! key1', 'send c1 Oi! key1']);
  });

  it('ASuccessfulSendClearsTheDraftAndShowsTheMessage', async () => {
    const { server, store, local, source } = setup();
    server.put(conv('c1', { status: 'open', assignee: 'ana' }));
    store.auth.restore();
    store.openConversation('c1');
    await settle();
    store.composer.setText('c1', 'Oi!');
    expect(await store.composer.sendText('c1')).toBe(true);
    expect(store.composer.text('c1')).toBe('');
    expect(local.getItem('atende.drafts.acme.ana')).toBeNull();
    expect(store.open.value?.conversation.messages.map((m) => m.text)).toEqual(['Oi!']);
    expect(store.open.value?.conversation.awaiting_customer).toBe(true);
    expect(store.composer.state('c1')).toEqual({ busy: false, error: null });
    expect(source.pokes).toBe(1);
  });

  it('AFileIsUploadedThenSentWithTheDraftAsItsCaption', async () => {
    const uploads: string[] = [];
    const sent: unknown[] = [];
    const { server, store } = setup({
      api: (s) => ({
        uploadMedia: async (file: Blob, filename?: string) => {
          uploads.push(`${filename} ${file.type} ${file.size}`);
          return { id: 'f'.repeat(64), kind: 'image', mime_type: file.type, size: file.size, sha256: 'f'.repeat(64) };
        },
        send: async (id, body) => {
          sent.push(body.media);
          return s.send(id, body);
        },
      }),
    });
    server.put(conv('c1', { status: 'open', assignee: 'ana' }));
    store.auth.restore();
    store.composer.setText('c1', 'a nota fiscal');
    const file = new File([new Uint8Array([1, 2, 3])], 'nota.png', { type: 'image/png' });
    expect(await store.composer.sendFile('c1', file)).toBe(true);
    expect(uploads).toEqual(['nota.png image/png 3']);
    expect(sent).toEqual([{ id: 'f'.repeat(64), caption: 'a nota fiscal' }]);
    expect(store.composer.text('c1')).toBe('');
  });

  it('ARefusedFileKeepsTheDraftAndShowsTheApiMessage', async () => {
    const { server, store } = setup({
      api: () => ({
        uploadMedia: async () => {
          throw new ApiError(422, { code: 'unsupported_media', message: 'Content-Type: image/gif is not a type WhatsApp takes' });
        },
      }),
    });
    server.put(conv('c1', { status: 'open', assignee: 'ana' }));
    store.auth.restore();
    store.composer.setText('c1', 'segue');
    const file = new File(['GIF89a'], 'x.gif', { type: 'image/gif' });
    expect(await store.composer.sendFile('c1', file)).toBe(false);
    expect(store.composer.text('c1')).toBe('segue');
    expect(store.composer.state('c1').error?.message).toBe('Content-Type: image/gif is not a type WhatsApp takes');
  });

  it('ANoteIsShownAsTheServerKeptItAndClearsTheDraft', async () => {
    const { server, store } = setup({
      api: (s) => ({
        addNote: async (id: string, text: string) => {
          const message = { id: 'n1', direction: 'note' as const, kind: 'text', text, at: '2026-11-21T12:00:00.000Z', author: 'ana' };
          return { message, conversation: s.conversations.get(id)! };
        },
      }),
    });
    server.put(conv('c1', { status: 'open', assignee: 'ana' }));
    store.auth.restore();
    store.openConversation('c1');
    await settle();
    store.composer.setText('c1', '@bia veja');
    expect(await store.composer.addNote('c1')).toBe(true);
    expect(store.composer.text('c1')).toBe('');
    expect(store.open.value?.conversation.messages.map((m) => [m.direction, m.author, m.text])).toEqual([['note', 'ana', '@bia veja']]);
  });

  it('ATemplateSendLeavesTheTypedDraft', async () => {
    const { server, store } = setup();
    server.put(conv('c1', { status: 'open', assignee: 'ana' }));
    store.auth.restore();
    store.composer.setText('c1', 'texto livre');
    expect(await store.composer.sendTemplate('c1', { name: 'retomada', params: ['Maria'] })).toBe(true);
    expect(store.composer.text('c1')).toBe('texto livre');
  });
});
