// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { fakeApi } from '../test/fake-api';
import { FakeServer } from '../test/fake-server';
import { conv } from '../test/fixtures';
import { flush, mount, testStore } from '../test/render';
import { App } from './App';
import { currentHash } from './router';

describe('App', () => {
  it('AsksToSignInWithoutASession', async () => {
    const store = testStore(fakeApi(new FakeServer('ana')), { signedIn: false });
    const el = await mount(store, <App />);
    expect(el.querySelector('#signin-title')?.textContent).toBe('Entrar no atendimento');
  });

  it('ShowsTheInboxAndTheOpenConversationSideBySide', async () => {
    const server = new FakeServer('ana');
    server.put(conv('c1', { contact: { id: 'k1', name: 'João', phone: '5511987654321' } }));
    const store = testStore(fakeApi(server));
    currentHash.value = '#/inbox/c1';
    const el = await mount(store, <App />);
    await flush();
    expect(el.querySelector('.shell-detail')).not.toBeNull();
    expect(el.querySelector('.pane-list .conv-name')?.textContent).toBe('João');
    expect(el.querySelector('.pane-detail h2')?.textContent).toBe('João');
    expect(el.querySelector('#conv-c1')?.getAttribute('aria-selected')).toBe('true');
    expect(el.querySelector('.live')?.textContent).toBe('Atualização automática');
    currentHash.value = '';
  });
});
