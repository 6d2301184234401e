import { useEffect, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../../api/error';
import type { TemplateSend } from '../../api/types';
import { currentHash, href, navigate } from '../../app/router';
import { ErrorMessage } from '../../components/ErrorMessage';
import { TemplatePicker } from '../../components/template-picker/TemplatePicker';
import { t, type MessageKey } from '../../i18n';
import { formatPhone } from '../../lib/phone';
import { useStore } from '../../state/context';
import { PhoneField } from './PhoneField';
import { startRequest } from './start-request';
import './new-conversation.css';

/**
 * Nova conversa (active conversation): team, origin channel, the
 * customer's number, and free text, or a template when the 24-hour window
 * is closed. The server decides about the window: its 422
 * template_required switches the form to the template picker.
 */
export function NewConversation() {
  const store = useStore();
  const params = new URLSearchParams(currentHash.value.split('?')[1] ?? '');
  const channels = store.config.lists.channels.value;
  const teams = store.config.lists.teams.value;
  const templates = store.config.lists.templates.value;
  const [channel, setChannel] = useState(params.get('channel') ?? '');
  const [team, setTeam] = useState('');
  const [to, setTo] = useState(params.get('to') ?? '');
  const [text, setText] = useState('');
  const [mode, setMode] = useState<'text' | 'template'>('text');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [needsTemplate, setNeedsTemplate] = useState<ApiError | null>(null);
  const [problem, setProblem] = useState<MessageKey | null>(null);

  useEffect(() => {
    void store.config.ensure('channels');
    void store.config.ensure('teams');
    void store.config.ensure('templates');
  }, []);

  useEffect(() => {
    if (!channel && channels.items?.length === 1) {
      setChannel(channels.items[0]!.id);
    }
  }, [channels.items]);

  const defaultTeam = channels.items?.find((c) => c.id === channel)?.default_team;

  const start = async (template: TemplateSend | null) => {
    const check = startRequest({ channel, team, to, text }, template);
    if (!check.ok) {
      setProblem(`new.missing_${check.missing}`);
      return;
    }
    setProblem(null);
    setBusy(true);
    setError(null);
    try {
      const c = await store.commands.startConversation(check.request);
      navigate('conversation', { id: c.id });
    } catch (e) {
      const err = toApiError(e);
      if (err.code === 'template_required') {
        setNeedsTemplate(err);
        setMode('template');
      } else {
        setError(err);
      }
      setBusy(false);
    }
  };

  const canSubmitText = startRequest({ channel, team, to, text }, null).ok;

  return (
    <section class="new-conversation" aria-labelledby="new-title">
      <header class="new-header">
        <a class="back-link" href={href('inbox')}>
          ← {t('conversation.back')}
        </a>
        <h1 id="new-title">{t('nav.new_conversation')}</h1>
      </header>
      <form
        class="stack new-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (mode === 'text') {
            void start(null);
          }
        }}
      >
        <label class="field">
          <span>{t('new.channel')}</span>
          <select required value={channel} onChange={(e) => setChannel((e.target as HTMLSelectElement).value)}>
            <option value="">{channels.items === null ? t('common.loading') : t('common.choose')}</option>
            {(channels.items ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} · {formatPhone(c.phone)}
              </option>
            ))}
          </select>
        </label>
        <ErrorMessage error={channels.error} />
        <label class="field">
          <span>{t('new.team')}</span>
          <select value={team} onChange={(e) => setTeam((e.target as HTMLSelectElement).value)}>
            <option value="">{defaultTeam ? t('new.team_default', { team: store.config.name('teams', defaultTeam) }) : t('new.team_default_plain')}</option>
            {(teams.items ?? []).map((tm) => (
              <option key={tm.id} value={tm.id}>
                {tm.name}
              </option>
            ))}
          </select>
        </label>
        <PhoneField value={to} onChange={setTo} />

        <fieldset class="segmented">
          <legend>{t('new.message')}</legend>
          <label class="radio">
            <input type="radio" name="new-mode" checked={mode === 'text'} onChange={() => setMode('text')} /> {t('new.free_text')}
          </label>
          <label class="radio">
            <input type="radio" name="new-mode" checked={mode === 'template'} onChange={() => setMode('template')} /> {t('new.template')}
          </label>
        </fieldset>

        {problem && (
          <p class="error" role="alert">
            {t(problem)}
          </p>
        )}
        {needsTemplate && (
          <div class="lock-banner" role="alert">
            <p>
              <strong>{t('new.template_required')}</strong> {needsTemplate.message}
            </p>
          </div>
        )}

        {mode === 'text' && (
          <>
            <label class="field">
              <span>{t('composer.message_label')}</span>
              <textarea rows={4} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
            </label>
            <ErrorMessage error={error} />
            {error?.conversationId && (
              <a class="button" href={href('conversation', { id: error.conversationId })}>
                {t('new.open_existing')}
              </a>
            )}
            <div class="form-actions">
              <button type="submit" class="primary" disabled={busy || !canSubmitText}>
                {busy ? t('common.sending') : t('new.start')}
              </button>
            </div>
          </>
        )}
      </form>

      {mode === 'template' && (
        <div class="new-form">
          {channel ? (
            <TemplatePicker
              channel={channel}
              templates={templates.items}
              loading={templates.loading}
              busy={busy}
              error={error ?? templates.error}
              submitLabel={t('new.start_with_template')}
              onSubmit={(tpl) => void start(tpl)}
            />
          ) : (
            <p class="muted">{t('new.choose_channel_first')}</p>
          )}
          {error?.conversationId && (
            <a class="button" href={href('conversation', { id: error.conversationId })}>
              {t('new.open_existing')}
            </a>
          )}
        </div>
      )}
    </section>
  );
}
