import { render, type ComponentChildren } from 'preact';
import { act } from 'preact/test-utils';
import { StoreContext } from '../state/context';
import { saveSession } from '../state/session';
import { MemoryStorage } from '../state/storage';
import { Store } from '../state/store';
import type { ConsoleApi } from '../state/deps';
import type { LiveHandlers, LiveSource } from '../live/source';
import { FakeScheduler } from './fake-scheduler';

// Helpers for component tests (happy-dom): a store over a given API, a
// mounted tree, and typing and clicking as a person would.

export const NOW = Date.parse('2026-11-21T12:00:00.000Z');

class IdleSource implements LiveSource {
  start(h: LiveHandlers): void {
    h.onMode('polling');
  }
  stop(): void {}
  poke(): void {}
}

export function testStore(api: ConsoleApi, opts: { signedIn?: boolean; role?: 'admin' | 'agent' } = {}): Store {
  const session = new MemoryStorage();
  if (opts.signedIn !== false) {
    saveSession(session, { token: 'acme~t', tenant: 'acme', agent: { id: 'ana', name: 'Ana', role: opts.role ?? 'agent' }, expiresAt: null, via: 'password' });
  }
  let n = 0;
  const store = new Store(
    { api, local: new MemoryStorage(), session, now: () => NOW, newId: () => `key${++n}`, scheduler: new FakeScheduler() },
    () => new IdleSource(),
  );
  if (opts.signedIn !== false) {
    store.auth.restore();
  }
  return store;
}

export async function mount(store: Store, ui: ComponentChildren): Promise<HTMLElement> {
  const el = document.createElement('div');
  document.body.innerHTML = '';
  document.body.appendChild(el);
  await act(() => {
    render(<StoreContext.Provider value={store}>{ui}</StoreContext.Provider>, el);
  });
  await flush();
  return el;
}

/** Let promises and effects run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await act(async () => {
      await Promise.resolve();
    });
  }
}

export async function type(el: HTMLInputElement | HTMLTextAreaElement | null, value: string): Promise<void> {
  if (!el) {
    throw new Error('no field to type in');
  }
  await act(() => {
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

export async function choose(el: HTMLSelectElement | null, value: string): Promise<void> {
  if (!el) {
    throw new Error('no select');
  }
  await act(() => {
    el.value = value;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

export async function click(el: Element | null | undefined): Promise<void> {
  if (!el) {
    throw new Error('nothing to click');
  }
  await act(() => {
    (el as HTMLElement).click();
  });
  await flush();
}

export async function submit(form: Element | null): Promise<void> {
  if (!form) {
    throw new Error('no form');
  }
  await act(() => {
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
  await flush();
}

export function button(root: ParentNode, text: string): HTMLButtonElement | undefined {
  return [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === text);
}
