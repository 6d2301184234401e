// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/error';
import { fakeApi } from '../../test/fake-api';
import { FakeServer } from '../../test/fake-server';
import { mount, submit, testStore, type } from '../../test/render';
import { SignIn } from './SignIn';

describe('SignIn', () => {
  it('ShowsTheApiMessageOnBadCredentials', async () => {
    const api = fakeApi(new FakeServer('ana'), {
      signIn: async () => {
        throw new ApiError(401, { code: 'bad_credentials', message: 'wrong tenant, login or password' });
      },
    });
    const store = testStore(api, { signedIn: false });
    const el = await mount(store, <SignIn />);
    await type(el.querySelector('input[name=tenant]'), 'acme');
    await type(el.querySelector('input[name=username]'), 'ana');
    await type(el.querySelector('input[name=password]'), 'secret-password');
    await submit(el.querySelector('form'));
    expect(el.querySelector('[role=alert]')?.textContent).toBe('Empresa, usuário ou senha não conferem. wrong tenant, login or password');
    expect(store.auth.session.value).toBeNull();
  });

  it('SignsInAndKeepsTheToken', async () => {
    const server = new FakeServer('ana');
    let body: unknown;
    const api = fakeApi(server, {
      signIn: async (b) => {
        body = b;
        return { token: 'acme~new', agent: { id: 'ana', name: 'Ana', role: 'agent' }, expires_at: '2026-11-22T12:00:00.000Z' };
      },
    });
    const store = testStore(api, { signedIn: false });
    const el = await mount(store, <SignIn />);
    await type(el.querySelector('input[name=tenant]'), ' acme ');
    await type(el.querySelector('input[name=username]'), 'ana');
    await type(el.querySelector('input[name=password]'), 'secret-password');
    await submit(el.querySelector('form'));
    expect(body).toEqual({ tenant: 'acme', login: 'ana', password: 'secret-password' });
    expect(store.auth.session.value?.token).toBe('acme~new');
    expect(store.deps.session.getItem('atende.session')).toContain('acme~new');
  });

  it('OffersTheApiTokenAsASecondaryWay', async () => {
    const store = testStore(fakeApi(new FakeServer('ana')), { signedIn: false });
    const el = await mount(store, <SignIn />);
    const details = el.querySelector('details');
    expect(details?.open).toBe(false);
    expect(details?.querySelector('input[type=password]')).not.toBeNull();
  });
});
