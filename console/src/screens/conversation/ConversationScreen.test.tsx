// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/error';
import type { Conversation, WaitingAudience } from '../../api/types';
import { fakeApi } from '../../test/fake-api';
import { FakeServer } from '../../test/fake-server';
import { at, conv, msg } from '../../test/fixtures';
import { button, click, flush, mount, testStore } from '../../test/render';
import { ConversationScreen } from './ConversationScreen';

function setup(over: Partial<Conversation> = {}) {
  const server = new FakeServer('ana');
  server.put(conv('c1', { status: 'open', assignee: 'ana', window_expires_at: at(600), contact: { id: 'k1', name: 'João', phone: '5511987654321' }, ...over }));
  server.messages.set('c1', [
    msg('m1', { text: 'Oi, meu pedido?', at: at(1), reactions: [{ by: 'ana', emoji: '👍', at: at(2) }] }),
    msg('m2', { kind: 'image', text: '', at: at(2), media: { id: 'md1', mime_type: 'image/jpeg', size: 2048, caption: 'nota fiscal' } }),
    msg('m3', { direction: 'out', text: 'Vou verificar', at: at(3), status: 'read', reply_to: 'm1' }),
    msg('m4', { direction: 'out', text: 'Seu pedido saiu', at: at(4), status: 'failed', error: { code: 131047, title: 'Re-engagement message' } }),
  ]);
  return server;
}

describe('ConversationScreen', () => {
  it('ShowsMessagesWithTicksMediaQuotesReactionsAndFailures', async () => {
    const store = testStore(fakeApi(setup()));
    const el = await mount(store, <ConversationScreen id="c1" />);
    await flush();
    expect(el.querySelector('h2')?.textContent).toBe('João');
    expect(el.querySelector('#msg-m3 .ticks')?.getAttribute('aria-label')).toBe('Lida');
    expect(el.querySelector('#msg-m3 .msg-quote')?.textContent).toContain('Oi, meu pedido?');
    expect(el.querySelector('#msg-m4 .msg-error')?.textContent).toBe('Falha no envio: a janela de 24 horas está fechada: só um modelo aprovado pode ser enviado (131047) Tentar com outro modelo');
    expect(el.querySelector('#msg-m2 .media-placeholder')?.textContent).toContain('Foto');
    expect(el.querySelector('#msg-m2 .media-placeholder')?.textContent).toContain('2 KB');
    expect(el.querySelector('#msg-m1 .reactions')?.textContent).toBe('👍');
  });

  it('ShowsMediaNotStoredYetAsUnavailable', async () => {
    const server = setup();
    server.messages.set('c1', [
      msg('m1', { kind: 'audio', text: '', at: at(1), media: { provider_id: '1013859600285441', mime_type: 'audio/ogg; codecs=opus', voice: true } }),
    ]);
    const store = testStore(fakeApi(server));
    const el = await mount(store, <ConversationScreen id="c1" />);
    await flush();
    const placeholder = el.querySelector('#msg-m1 .media-placeholder');
    expect(placeholder?.textContent).toContain('arquivo indisponível');
    expect(placeholder?.querySelector('button')).toBeNull();
  });

  it('ShowsSharedContactsAndLocations', async () => {
    const server = setup();
    server.messages.set('c1', [
      msg('m1', { kind: 'contacts', text: '', at: at(1), contacts: [{ name: 'João Pereira', phones: [{ phone: '+55 11 97654-3210', wa_id: '5511976543210' }] }] }),
      msg('m2', { kind: 'location', text: '', at: at(2), location: { latitude: -23.5505, longitude: -46.6333, name: 'Loja Centro' } }),
    ]);
    const store = testStore(fakeApi(server));
    const el = await mount(store, <ConversationScreen id="c1" />);
    await flush();
    expect(el.querySelector('#msg-m1 .msg-contacts')?.textContent).toContain('João Pereira');
    expect(el.querySelector('#msg-m1 .msg-contacts')?.textContent).toContain('+55 11 97654-3210');
    expect(el.querySelector('#msg-m1 .msg-text')).toBeNull();
    expect(el.querySelector('#msg-m2 .msg-location')?.textContent).toContain('Loja Centro');
  });

  it('OffersAssumirOnAWaitingConversation', async () => {
    let taken = false;
    const server = setup({ status: 'waiting', assignee: null });
    const api = fakeApi(server, {
      assign: async () => {
        taken = true;
        server.change('c1', { status: 'open', assignee: 'ana', last_activity_at: at(9) });
        return server.conversations.get('c1')!;
      },
    });
    const store = testStore(api);
    const el = await mount(store, <ConversationScreen id="c1" />);
    expect(el.querySelector('.lock-banner')?.textContent).toContain('Assuma a conversa para responder.');
    await click(button(el, 'Assumir'));
    await flush();
    expect(taken).toBe(true);
    expect(button(el, 'Assumir')).toBeUndefined();
    expect(el.querySelector('textarea')?.disabled).toBe(false);
  });

  it('ShowsTheApiMessageWhenTheConversationCannotBeRead', async () => {
    const server = setup();
    server.hide('c1');
    const store = testStore(fakeApi(server));
    const el = await mount(store, <ConversationScreen id="c1" />);
    expect(el.querySelector('[role=alert]')?.textContent).toBe('Não encontrado. no conversation c1');
  });

  it('AnAgentReactsToAMessageAndTheSameEmojiAgainRemovesIt', async () => {
    const server = setup();
    const sent: string[] = [];
    const api = fakeApi(server, {
      react: async (id, messageId, emoji) => {
        sent.push(`${messageId} ${emoji}`);
        const list = server.messages.get(id)!;
        const m = list.find((x) => x.id === messageId)!;
        const others = (m.reactions ?? []).filter((r) => r.by !== 'ana');
        const next = { ...m, reactions: emoji ? [...others, { by: 'ana', emoji, at: at(5) }] : others };
        server.messages.set(id, list.map((x) => (x.id === messageId ? next : x)));
        return { message: next, conversation: server.conversations.get(id)! };
      },
    });
    const store = testStore(api);
    const el = await mount(store, <ConversationScreen id="c1" />);
    await flush();
    const bubble = el.querySelector('#msg-m1')!;
    await click(button(bubble, 'Reagir'));
    const picker = bubble.querySelector('[role=group]')!;
    expect(picker.getAttribute('aria-label')).toBe('Reagir com');
    // Ana's 👍 is shown pressed; ❤️ replaces it.
    expect(button(picker, '👍')?.getAttribute('aria-pressed')).toBe('true');
    await click(button(picker, '❤️'));
    expect(sent).toEqual(['m1 ❤️']);
    expect(el.querySelector('#msg-m1 .reactions')?.textContent).toBe('❤️');
    expect(el.querySelector('#msg-m1 [role=group]')).toBeNull();
    await click(button(el.querySelector('#msg-m1')!, 'Reagir'));
    await click(button(el.querySelector('#msg-m1 [role=group]')!, '❤️'));
    expect(sent).toEqual(['m1 ❤️', 'm1 ']);
    expect(el.querySelector('#msg-m1 .reactions')).toBeNull();
  });

  it('ARefusedReactionShowsTheApiMessage', async () => {
    const api = fakeApi(setup(), {
      react: async () => {
        throw new ApiError(409, { code: 'window_closed', message: 'the 24-hour window is closed' });
      },
    });
    const store = testStore(api);
    const el = await mount(store, <ConversationScreen id="c1" />);
    await flush();
    await click(button(el.querySelector('#msg-m3')!, 'Reagir'));
    await click(button(el.querySelector('#msg-m3 [role=group]')!, '👍'));
    expect(el.querySelector('#msg-m3 [role=alert]')?.textContent).toBe('A janela de 24 horas está fechada: só um modelo pode ser enviado. the 24-hour window is closed');
  });

  it('TheContactPanelShowsTheRecordAndHistoryAndStartsANewConversation', async () => {
    const server = setup();
    const api = fakeApi(server, {
      getContact: async (id) => ({ id, name: 'João', phone: '5511987654321', tags: ['vip', 'b2b'], stage: 'cliente', departments: ['vendas'], portfolios: ['pf1'] }),
      listPortfolios: async () => [{ id: 'pf1', name: 'Carteira Sul', code: null, responsible: 'ana', members: [], contact_count: 1, contacts: [] }],
      contactHistory: async (_id, cursor) =>
        cursor === null
          ? { items: [{ id: 'c0', channel: 'wa-sales', agent: 'ana', team: 'support', reason: null, description: 'pedido entregue', opened_at: at(-7200), finished_at: at(-3600) }], next_cursor: 'n1' }
          : { items: [{ id: 'c-1', channel: 'wa-support', agent: null, team: 'support', reason: null, description: null, opened_at: at(-9600), finished_at: at(-9000) }], next_cursor: null },
    });
    const store = testStore(api);
    const el = await mount(store, <ConversationScreen id="c1" />);
    await flush();
    await click([...el.querySelectorAll('[role=tab]')].find((b) => b.textContent === 'Contato'));
    await flush();
    const panel = el.querySelector('#cpanel-contact')!;
    expect(panel.querySelector('.contact-fields')?.textContent).toContain('vip, b2b');
    expect(panel.querySelector('.contact-fields')?.textContent).toContain('cliente');
    expect(panel.querySelector('.contact-fields')?.textContent).toContain('Carteira Sul');
    const rows = () => [...panel.querySelectorAll('.contact-history > li')];
    expect(rows()).toHaveLength(1);
    expect(rows()[0]!.querySelector('a')?.getAttribute('href')).toBe('#/inbox/c0');
    expect(rows()[0]!.textContent).toContain('pedido entregue');
    await click(button(panel, 'Carregar mais'));
    expect(rows()).toHaveLength(2);
    expect(rows()[1]!.textContent).toContain('Sem atendente');
    expect(button(panel, 'Carregar mais')).toBeUndefined();
    const again = rows()[1]!.querySelector('a.button');
    expect(again?.getAttribute('href')).toBe('#/new?to=5511987654321&channel=wa-support');
  });

  it('AFailedSendOffersToTryAnotherTemplate', async () => {
    const api = fakeApi(setup(), {
      listTemplates: async () => [{ id: 't1', channel: 'wa1', name: 'retomada', language: 'pt_BR', body: 'Oi {{1}}', status: 'approved' }],
    });
    const store = testStore(api);
    const el = await mount(store, <ConversationScreen id="c1" />);
    await flush();
    expect(button(el.querySelector('#msg-m3')!, 'Tentar com outro modelo')).toBeUndefined();
    await click(button(el.querySelector('#msg-m4')!, 'Tentar com outro modelo'));
    await flush();
    const dialog = document.querySelector('[role=dialog]');
    expect(dialog?.getAttribute('aria-labelledby') && document.getElementById(dialog.getAttribute('aria-labelledby')!)?.textContent).toBe('Enviar modelo');
    expect([...dialog!.querySelectorAll('option')].map((o) => o.textContent)).toContain('retomada (pt_BR)');
  });

  it('TheTimelineSaysWhoCouldSeeItWhoGotItAndWhy', async () => {
    const item = (seq: number, type: string, actor: string, data: Record<string, unknown>, waiting?: WaitingAudience | null) => ({
      seq,
      id: `acme:${seq}`,
      at: at(seq),
      type,
      actor,
      data,
      summary: `${type} (${seq})`,
      ...(waiting === undefined ? {} : { waiting }),
    });
    const api = fakeApi(setup(), {
      listAgents: async () => [
        { id: 'ana', name: 'Ana Lima', role: 'agent', teams: [], max_concurrent: null, status: 'online', pause: null, open_count: 0 },
        { id: 'dora', name: 'Dora Reis', role: 'agent', teams: [], max_concurrent: null, status: 'online', pause: null, open_count: 0 },
      ],
      listTeams: async () => [{ id: 'sales', name: 'Vendas', distribution: 'contact_group', max_per_agent: 5, require_reason: false }],
      listPortfolios: async () => [{ id: 'vip', name: 'Clientes VIP', code: null, responsible: 'ana', members: ['dora'], contact_count: 1, contacts: [] }],
      timeline: async () => ({
        items: [
          item(1, 'conversation.opened', 'connector', { conversation: 'c1', team: 'sales' }, { team: 'sales', portfolios: [], owners: [] }),
          item(2, 'portfolio.contacts_changed', 'agent:boss', { portfolio: 'vip' }, { team: 'sales', portfolios: ['vip'], owners: ['ana', 'dora'] }),
          item(3, 'conversation.assigned', 'rule:contact_group', { conversation: 'c1', agent: 'ana', previous: '', rule: 'contact_group', eligible: ['ana', 'dora'] }, null),
        ],
        next_cursor: null,
      }),
    });
    const store = testStore(api);
    const el = await mount(store, <ConversationScreen id="c1" />);
    await flush();
    await click([...el.querySelectorAll('[role=tab]')].find((b) => b.textContent === 'Linha do tempo'));
    await flush();
    const lines = [...el.querySelectorAll('.timeline li')].map((li) => li.querySelector('.timeline-audience')?.textContent);
    expect(lines).toEqual([
      'Na fila de espera da equipe Vendas: quem é da equipe vê e pode assumir.',
      'Na fila da equipe Vendas, só para os donos da carteira Clientes VIP: Ana Lima, Dora Reis.',
      'Saiu da fila de espera.',
    ]);
    expect(el.querySelectorAll('.timeline li')[2]!.textContent).toContain('Foi para Ana Lima por carteira de contatos. Podiam receber: Ana Lima, Dora Reis.');
  });
});
