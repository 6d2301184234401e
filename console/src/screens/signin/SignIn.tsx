import { useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../../api/error';
import { ErrorMessage } from '../../components/ErrorMessage';
import { t } from '../../i18n';
import { useStore } from '../../state/context';
import { LanguageSelect } from '../agent-menu/LanguageSelect';
import './signin.css';

const LAST_TENANT_KEY = 'atende.last_tenant';

/**
 * Sign-in: tenant (empresa), login and password (POST /v1/sessions). A
 * pasted API token is the secondary way, until every agent has a password.
 */
export function SignIn() {
  const store = useStore();
  const notice = store.auth.notice.value;
  const [tenant, setTenant] = useState(() => store.deps.local.getItem(LAST_TENANT_KEY) ?? '');
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      store.deps.local.setItem(LAST_TENANT_KEY, tenant.trim());
      await store.auth.signIn(tenant.trim(), login.trim(), password);
    } catch (err) {
      setError(toApiError(err));
      setBusy(false);
    }
  };

  return (
    <main class="signin">
      <div class="signin-card">
        <h1 class="signin-brand">atende</h1>
        <form onSubmit={submit} aria-labelledby="signin-title">
          <h2 id="signin-title">{t('signin.title')}</h2>
          {notice && (
            <p class="notice" role="status">
              {t('signin.session_ended')} {notice}
            </p>
          )}
          <label class="field">
            <span>{t('signin.tenant')}</span>
            <input name="tenant" autocomplete="organization" required value={tenant} onInput={(e) => setTenant((e.target as HTMLInputElement).value)} />
          </label>
          <label class="field">
            <span>{t('signin.login')}</span>
            <input name="username" autocomplete="username" required value={login} onInput={(e) => setLogin((e.target as HTMLInputElement).value)} />
          </label>
          <label class="field">
            <span>{t('signin.password')}</span>
            <input
              name="password"
              type="password"
              autocomplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
            />
          </label>
          <ErrorMessage error={error} />
          <button type="submit" class="primary wide" disabled={busy}>
            {busy ? t('signin.signing_in') : t('signin.submit')}
          </button>
        </form>
        <TokenSignIn />
        <div class="signin-lang">
          <LanguageSelect />
        </div>
      </div>
    </main>
  );
}

/** The secondary way in: an agent's API token and its agent id. */
function TokenSignIn() {
  const store = useStore();
  const [token, setToken] = useState('');
  const [agent, setAgent] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await store.auth.signInWithToken(token.trim(), agent.trim());
    } catch (err) {
      setError(toApiError(err));
      setBusy(false);
    }
  };

  return (
    <details class="token-signin">
      <summary>{t('signin.token_title')}</summary>
      <form onSubmit={submit}>
        <p class="muted">{t('signin.token_help')}</p>
        <label class="field">
          <span>{t('signin.token')}</span>
          <input type="password" autocomplete="off" required value={token} onInput={(e) => setToken((e.target as HTMLInputElement).value)} />
        </label>
        <label class="field">
          <span>{t('signin.agent_id')}</span>
          <input autocomplete="off" required value={agent} onInput={(e) => setAgent((e.target as HTMLInputElement).value)} />
        </label>
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy}>
          {busy ? t('signin.signing_in') : t('signin.token_submit')}
        </button>
      </form>
    </details>
  );
}
