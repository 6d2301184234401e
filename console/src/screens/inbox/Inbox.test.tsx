// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { fakeApi } from '../../test/fake-api';
import { FakeServer } from '../../test/fake-server';
import { at, conv } from '../../test/fixtures';
import { button, click, flush, mount, testStore } from '../../test/render';
import { Inbox } from './Inbox';

function server(): FakeServer {
  const s = new FakeServer('ana');
  s.put(conv('c1', { last_activity_at: at(1), contact: { id: 'k1', name: 'João', phone: '5511987654321' } }));
  s.put(conv('c2', { last_activity_at: at(2), status: 'open', assignee: 'ana', awaiting_customer: true, contact: { id: 'k2', name: 'Maria', phone: '5511987654322' } }));
  s.put(conv('c3', { last_activity_at: at(3), status: 'open', assignee: 'bia', send_failed: true, contact: { id: 'k3', name: 'Pedro', phone: '5511987654323' } }));
  return s;
}

describe('Inbox', () => {
  it('ShowsTheTabsWithCountsAndTheRowsNewestFirst', async () => {
    const store = testStore(fakeApi(server()));
    const el = await mount(store, <Inbox openId={null} />);
    const tabs = [...el.querySelectorAll('[role=tab]')].map((t) => t.textContent);
    expect(tabs).toEqual(['Todos3', 'Meus1', 'Sem Atendente1']);
    const names = [...el.querySelectorAll('.conv-name')].map((n) => n.textContent);
    expect(names).toEqual(['Pedro', 'Maria', 'João']);
    expect(el.querySelector('#conv-c3 .flag-send_failed')?.textContent).toBe('Falha no envio');
    expect(el.querySelector('#conv-c2 .flag-awaiting_customer')?.textContent).toBe('Aguardando resposta');
  });

  it('SwitchesTabs', async () => {
    const store = testStore(fakeApi(server()));
    const el = await mount(store, <Inbox openId={null} />);
    await click(el.querySelector('[data-view=mine]'));
    await flush();
    expect(store.list.value.query.view).toBe('mine');
    expect([...el.querySelectorAll('.conv-name')].map((n) => n.textContent)).toEqual(['Maria']);
    expect(el.querySelector('[data-view=mine]')?.getAttribute('aria-selected')).toBe('true');
  });

  it('SelectsForBulkActionsAndShowsEachResult', async () => {
    const s = server();
    const api = fakeApi(s, {
      listReasons: async () => [],
      bulk: async (req) => ({
        results: req.ids.map((id) =>
          id === 'c3' ? { id, ok: false as const, error: { code: 'not_assignee', message: 'only the assignee may finish' } } : { id, ok: true as const },
        ),
      }),
    });
    const store = testStore(api);
    const el = await mount(store, <Inbox openId={null} />);
    await click(button(el, 'Selecionar'));
    await click(el.querySelector('#conv-c3'));
    await click(el.querySelector('#conv-c2'));
    expect(el.querySelector('.bulk-bar')?.textContent).toContain('2 selecionadas');
    await click(button(el.querySelector('.bulk-bar')!, 'Finalizar atendimento'));
    const form = document.querySelector('[role=dialog] form')!;
    await click(button(form, 'Finalizar atendimento'));
    await flush();
    const results = document.querySelector('.bulk-results')!;
    expect(results.textContent).toContain('1 com sucesso, 1 com erro.');
    expect(results.querySelector('li.failed')?.textContent).toContain('only the assignee may finish');
    expect(results.querySelector('li.ok')?.textContent).toContain('Maria');
  });
});
