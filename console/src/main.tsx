import { render } from 'preact';
import { ApiClient } from './api/client';
import { App } from './app/App';
import { followHash } from './app/router';
import { isLang, lang, LANG_KEY } from './i18n';
import { AutoSource } from './live/auto-source';
import { EventSourceSource } from './live/event-source-source';
import { PollingSource } from './live/polling-source';
import { realScheduler } from './live/source';
import { StoreContext } from './state/context';
import { browserStorage } from './state/storage';
import { Store } from './state/store';
import './app/base.css';

// Wiring: the API client on this origin, the store, the live source (the
// SSE stream when the server has it, polling otherwise), the clock, and
// the app.

const local = browserStorage('local');
const saved = local.getItem(LANG_KEY);
if (isLang(saved)) {
  lang.value = saved;
}
document.documentElement.lang = lang.value;

let store: Store | null = null;
const api = new ApiClient({
  getToken: () => store?.auth.token ?? null,
  onUnauthorized: (error) => store?.auth.expire(error),
});

let ids = 0;
store = new Store(
  {
    api,
    local,
    session: browserStorage('session'),
    now: () => Date.now(),
    newId: () => (typeof globalThis.crypto?.randomUUID === 'function' ? crypto.randomUUID() : `ui-${Date.now().toString(36)}-${(ids++).toString(36)}`),
    scheduler: realScheduler,
  },
  (s) =>
    new AutoSource(
      () => new EventSourceSource((last) => api.streamUrl(s.auth.token ?? '', last)),
      () => new PollingSource(api, () => s.pollTargets(), { intervalMs: 5000 }),
    ),
);

followHash();
setInterval(() => {
  store!.now.value = Date.now();
}, 1000);
store.auth.restore();

render(
  <StoreContext.Provider value={store}>
    <App />
  </StoreContext.Provider>,
  document.getElementById('app')!,
);
