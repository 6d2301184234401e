// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/error';
import { fakeApi } from '../../test/fake-api';
import { FakeServer } from '../../test/fake-server';
import { boardRow } from '../../test/fixtures';
import { button, click, flush, mount, testStore } from '../../test/render';
import { AgentMenu } from './AgentMenu';

describe('AgentMenu', () => {
  it('ListsPausesWithTheirRulesAndShowsTheApiMessageWhenTooEarly', async () => {
    const server = new FakeServer('ana');
    server.board.set('ana', boardRow('ana', { name: 'Ana', status: 'online', teams: ['sales'] }));
    const api = fakeApi(server, {
      listPauseTypes: async () => [{ id: 'lunch', name: 'Almoço', max_minutes: 60, allowed_from: '11:00' }],
      listTeams: async () => [{ id: 'sales', name: 'Vendas', distribution: 'manual', max_per_agent: 5, require_reason: false }],
      startPause: async () => {
        throw new ApiError(422, { code: 'pause_not_allowed_yet', message: "type: pause 'lunch' is allowed from 11:00" });
      },
    });
    const store = testStore(api);
    const el = await mount(store, <AgentMenu />);
    await click(el.querySelector('.agent-menu-button'));
    await flush();
    const lunch = el.querySelector('.pause-types button')!;
    expect(lunch.textContent).toBe('Almoçomáx. 60 min · a partir das 11:00');
    expect(el.querySelector('.chips')?.textContent).toBe('Vendas');
    await click(lunch);
    expect(el.querySelector('[role=alert]')?.textContent).toBe("Esta pausa ainda não pode começar. type: pause 'lunch' is allowed from 11:00");
  });

  it('GoesOffline', async () => {
    const server = new FakeServer('ana');
    server.board.set('ana', boardRow('ana', { name: 'Ana', status: 'online' }));
    const api = fakeApi(server, { listPauseTypes: async () => [], listTeams: async () => [], setStatus: async (status) => boardRow('ana', { name: 'Ana', status }) });
    const store = testStore(api);
    const el = await mount(store, <AgentMenu />);
    await click(el.querySelector('.agent-menu-button'));
    const offline = [...el.querySelectorAll<HTMLInputElement>('input[name=agent-status]')][1]!;
    await click(offline);
    expect(store.me.value?.status).toBe('offline');
    expect(button(el, 'Sair')).toBeDefined();
  });
});
