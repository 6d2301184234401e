import { useEffect, useRef, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../../api/error';
import type { AgentStatus, PauseType } from '../../api/types';
import { href } from '../../app/router';
import { ErrorMessage } from '../../components/ErrorMessage';
import { t } from '../../i18n';
import { useStore } from '../../state/context';
import { LanguageSelect } from './LanguageSelect';
import { pauseMinutes, pauseOverdue } from '../../lib/pause';
import './agent-menu.css';

/**
 * The agent menu: Online/Offline, Pausas (the tenant's pause types with
 * their earliest start and maximum), the agent's teams, mentions, language
 * and sign-out.
 */
export function AgentMenu() {
  const store = useStore();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const session = store.auth.session.value;
  const me = store.me.value;

  useEffect(() => {
    if (!open) {
      return undefined;
    }
    void store.config.ensure('pauseTypes');
    void store.config.ensure('teams');
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) {
        setOpen(false);
      }
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  if (!session) {
    return null;
  }
  const state = me?.pause ? 'paused' : (me?.status ?? 'offline');
  const mentions = store.mentions.value.length;

  return (
    <div class="agent-menu" ref={root} onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
      <button type="button" class="agent-menu-button" aria-haspopup="dialog" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span class={`dot dot-${state}`} aria-hidden="true" />
        <span class="agent-name">{session.agent.name}</span>
        <span class="sr-only">
          {' '}
          {t(state === 'paused' ? 'menu.paused' : state === 'online' ? 'menu.online' : 'menu.offline')}
        </span>
        {mentions > 0 && <span class="badge" aria-label={t('menu.mentions_count', { n: mentions })}>{mentions}</span>}
      </button>
      {open && <AgentPanel onClose={() => setOpen(false)} />}
    </div>
  );
}

function AgentPanel({ onClose }: { onClose: () => void }) {
  const store = useStore();
  const session = store.auth.session.value!;
  const me = store.me.value;
  const now = store.now.value;
  const pauseTypes = store.config.lists.pauseTypes.value;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const setStatus = (s: AgentStatus) => run(() => store.commands.setStatus(s));
  const current = me?.pause ? pauseTypes.items?.find((p) => p.id === me.pause!.type) : undefined;

  return (
    <div class="agent-panel" role="dialog" aria-label={t('menu.title')}>
      <div class="agent-panel-head">
        <strong>{session.agent.name}</strong>
        <span class="muted">{t(session.agent.role === 'admin' ? 'role.admin' : 'role.agent')}</span>
      </div>

      <fieldset class="status-choice" disabled={busy}>
        <legend>{t('menu.status')}</legend>
        {(['online', 'offline'] as const).map((s) => (
          <label key={s} class="radio">
            <input type="radio" name="agent-status" checked={me?.status === s} onChange={() => setStatus(s)} />
            <span class={`dot dot-${s}`} aria-hidden="true" /> {t(s === 'online' ? 'menu.online' : 'menu.offline')}
          </label>
        ))}
      </fieldset>

      <section aria-labelledby="pauses-title">
        <h3 id="pauses-title">{t('menu.pauses')}</h3>
        {me?.pause ? (
          <div class={`pause-now${pauseOverdue(me.pause, current, now) ? ' overdue' : ''}`}>
            <p>
              {t('menu.paused_for', { name: current?.name ?? me.pause.type, n: pauseMinutes(me.pause, now) })}
              {current && ` · ${t('menu.pause_max', { n: current.max_minutes })}`}
            </p>
            {pauseOverdue(me.pause, current, now) && <p class="warning">{t('menu.pause_overdue')}</p>}
            <button type="button" class="primary" disabled={busy} onClick={() => run(() => store.commands.endPause())}>
              {t('menu.end_pause')}
            </button>
          </div>
        ) : pauseTypes.items === null ? (
          pauseTypes.error ? <ErrorMessage error={pauseTypes.error} /> : <p class="muted">{t('common.loading')}</p>
        ) : pauseTypes.items.length === 0 ? (
          <p class="muted">{t('menu.no_pauses')}</p>
        ) : (
          <ul class="pause-types">
            {pauseTypes.items.map((p) => (
              <li key={p.id}>
                <button type="button" disabled={busy} onClick={() => run(() => store.commands.startPause(p.id))}>
                  <span>{p.name}</span>
                  <small class="muted">{pauseRule(p)}</small>
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <ErrorMessage error={error} />

      <section aria-labelledby="teams-title">
        <h3 id="teams-title">{t('menu.teams')}</h3>
        {me && me.teams.length > 0 ? (
          <ul class="chips">
            {me.teams.map((id) => (
              <li key={id} class="chip">
                {store.config.name('teams', id)}
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">{t('menu.no_teams')}</p>
        )}
      </section>

      {store.mentions.value.length > 0 && (
        <section aria-labelledby="mentions-title">
          <h3 id="mentions-title">{t('menu.mentions')}</h3>
          <ul class="mentions">
            {store.mentions.value.map((m, i) => (
              <li key={i}>
                <a href={href('conversation', { id: m.conversation })} onClick={onClose}>
                  {t('menu.mentioned_by', { who: m.message.author ? store.config.name('agents', m.message.author) : '—' })}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}

      <div class="agent-panel-foot">
        <LanguageSelect />
        <button type="button" onClick={() => void store.auth.signOut()}>
          {t('menu.sign_out')}
        </button>
      </div>
    </div>
  );
}

function pauseRule(p: PauseType): string {
  const max = t('menu.pause_max', { n: p.max_minutes });
  return p.allowed_from ? `${max} · ${t('menu.pause_from', { time: p.allowed_from })}` : max;
}
