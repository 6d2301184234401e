// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/error';
import type { ConversationDetail } from '../../api/types';
import { fakeApi } from '../../test/fake-api';
import { FakeServer } from '../../test/fake-server';
import { conv } from '../../test/fixtures';
import { button, click, flush, mount, NOW, testStore, type } from '../../test/render';
import { Composer } from './Composer';

function detail(over: Partial<ConversationDetail> = {}): ConversationDetail {
  return { ...conv('c1', { status: 'open', assignee: 'ana', window_expires_at: new Date(NOW + 2 * 3_600_000 + 5 * 60_000).toISOString() }), messages: [], ...over };
}

describe('Composer', () => {
  it('AFailedSendKeepsTheTextAndShowsTheApiMessage', async () => {
    const server = new FakeServer('ana');
    server.put(detail());
    server.sendFailures.push(new ApiError(403, { code: 'not_assignee', message: 'only the assignee may send' }));
    const store = testStore(fakeApi(server));
    const el = await mount(store, <Composer conversation={detail()} />);
    await type(el.querySelector('textarea'), 'Olá, João!');
    await click(button(el, 'Enviar'));
    await flush();
    expect(el.querySelector('textarea')?.value).toBe('Olá, João!');
    expect(el.querySelector('[role=alert]')?.textContent).toBe('Só o atendente da conversa pode fazer isso. only the assignee may send');
    expect(store.composer.text('c1')).toBe('Olá, João!');
  });

  it('ShowsTheWindowCountingDown', async () => {
    const store = testStore(fakeApi(new FakeServer('ana')));
    const el = await mount(store, <Composer conversation={detail()} />);
    expect(el.textContent).toContain('Janela de 24 horas: fecha em 2h 05min.');
  });

  it('IsLockedWithItsReasonWhenTheWindowIsClosed', async () => {
    const store = testStore(fakeApi(new FakeServer('ana')));
    const el = await mount(store, <Composer conversation={detail({ window_expires_at: null, composer_locked: true })} />);
    expect(el.querySelector('textarea')?.disabled).toBe(true);
    expect(el.querySelector('[role=status]')?.textContent).toContain('A janela de 24 horas está fechada');
    expect(button(el, 'Enviar modelo')).toBeDefined();
  });

  it('OpensTheTemplatePickerWithAFieldPerPlaceholderAndAPreview', async () => {
    const server = new FakeServer('ana');
    const api = fakeApi(server, {
      listTemplates: async () => [{ id: 't1', channel: 'wa1', name: 'retomada', language: 'pt_BR', body: 'Oi {{1}}, sobre o {{2}}', status: 'approved' }],
    });
    const store = testStore(api);
    const el = await mount(store, <Composer conversation={detail({ window_expires_at: null, composer_locked: true })} />);
    await click(button(el, 'Enviar modelo'));
    const dialog = document.querySelector('[role=dialog]')!;
    const select = dialog.querySelector('select')!;
    await (await import('../../test/render')).choose(select, 't1');
    const inputs = dialog.querySelectorAll<HTMLInputElement>('.template-params input');
    expect(inputs).toHaveLength(2);
    await type(inputs[0]!, 'Maria');
    expect(dialog.querySelector('.template-preview p')?.textContent).toBe('Oi Maria, sobre o {{2}}');
  });
});
