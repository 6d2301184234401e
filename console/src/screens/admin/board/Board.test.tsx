// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import type { AgentBoard } from '../../../api/types';
import { fakeApi } from '../../../test/fake-api';
import { FakeServer } from '../../../test/fake-server';
import { conv } from '../../../test/fixtures';
import { flush, mount, NOW, testStore } from '../../../test/render';
import { Board } from './Board';

function board(over: Partial<AgentBoard>): AgentBoard {
  return { id: 'ana', name: 'Ana', role: 'agent', teams: ['sales'], max_concurrent: null, status: 'online', pause: null, open_count: 1, ...over };
}

function setup() {
  const server = new FakeServer('chefe');
  server.put(conv('c1', { team: 'sales', last_activity_at: new Date(NOW - 12 * 60_000).toISOString(), contact: { id: 'k1', name: 'João', phone: '5511987654321' } }));
  server.put(conv('c2', { team: 'sales', last_activity_at: new Date(NOW - 3 * 60_000).toISOString() }));
  server.board.set('ana', board({}));
  server.board.set('bia', board({ id: 'bia', name: 'Bia', open_count: 5 }));
  const api = fakeApi(server, {
    listTeams: async () => [
      { id: 'sales', name: 'Vendas', distribution: 'manual', max_per_agent: 5, require_reason: false },
      { id: 'support', name: 'Suporte', distribution: 'manual', max_per_agent: 3, require_reason: false },
    ],
    listPauseTypes: async () => [{ id: 'almoco', name: 'Almoço', max_minutes: 60, allowed_from: null }],
  });
  return testStore(api, { role: 'admin' });
}

describe('Board', () => {
  it('AnOverduePauseIsHighlightedLiveAsTheClockPassesItsMaximum', async () => {
    const store = setup();
    const el = await mount(store, <Board />);
    await flush();
    expect(store.boardFollow.value).toBe('all');
    expect(el.querySelector('#board-ana')?.textContent).toContain('1 / 5');
    // Ana starts a lunch, as the stream reports it.
    store.apply({ type: 'agent.updated', data: board({ pause: { type: 'almoco', since: new Date(NOW - 59 * 60_000).toISOString(), overdue: false } }) });
    await flush();
    const ana = () => el.querySelector('#board-ana')!;
    expect(ana().textContent).toContain('Almoço há 59 min');
    expect(ana().classList.contains('overdue')).toBe(false);
    store.now.value = NOW + 2 * 60_000;
    await flush();
    expect(ana().textContent).toContain('Almoço há 61 min');
    expect(ana().textContent).toContain('Pausa excedida');
    expect(ana().classList.contains('overdue')).toBe(true);
    // Overdue pauses come first.
    expect(el.querySelector('tbody tr')?.id).toBe('board-ana');
  });

  it('AnAgentAtCapacityIsMarked', async () => {
    const store = setup();
    const el = await mount(store, <Board />);
    await flush();
    expect(el.querySelector('#board-bia td.full')?.textContent).toBe('5 / 5');
  });

  it('ShowsTheWaitingConversationsOfEachTeamOldestFirstAsLinks', async () => {
    const store = setup();
    const el = await mount(store, <Board />);
    await flush();
    const rows = [...el.querySelectorAll('[aria-labelledby=board-waiting] tbody tr')];
    expect(rows.map((r) => r.querySelector('th')?.textContent)).toEqual(['Vendas', 'Suporte']);
    expect(rows[0]!.querySelector('td.num')?.textContent).toBe('2');
    const links = [...rows[0]!.querySelectorAll('a')];
    expect(links.map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['João', '#/inbox/c1'],
      ['Contato c2', '#/inbox/c2'],
    ]);
    expect(rows[0]!.textContent).toContain('há 12 min');
    expect(rows[1]!.querySelector('td.num')?.textContent).toBe('0');
  });

  it('FollowsOnlyTheAgentsOwnRowAgainWhenLeft', async () => {
    const store = setup();
    const el = await mount(store, <Board />);
    await flush();
    await act(() => render(null, el));
    expect(store.boardFollow.value).toBe('me');
  });
});
