import { useEffect, useId, useState } from 'preact/hooks';
import { features } from '../../api/features';
import type { ConversationDetail } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Modal } from '../../components/Modal';
import { TemplatePicker } from '../../components/template-picker/TemplatePicker';
import { t, type MessageKey } from '../../i18n';
import { composerState, formatCountdown, type ComposerState } from '../../lib/window';
import { useStore } from '../../state/context';
import { snippet } from './message-view';
import { VoiceNoteButton } from './VoiceNoteButton';

/** What WhatsApp takes (docs/api.md, POST /v1/media); the server checks. */
const ATTACHABLE = [
  'image/jpeg',
  'image/png',
  'video/mp4',
  'video/3gpp',
  'audio/aac',
  'audio/amr',
  'audio/mpeg',
  'audio/mp4',
  'audio/ogg',
  'application/pdf',
  'text/plain',
  '.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp',
].join(',');

/**
 * The composer: the conversation's draft (kept in the store and in
 * localStorage), locked with its reason while free text would be refused,
 * the 24-hour window counting down, templates when the window is closed,
 * files (sent with the draft as their caption) and private notes. A failed send keeps the text and shows the API's
 * message.
 */
export function Composer({ conversation }: { conversation: ConversationDetail }) {
  const store = useStore();
  const uid = useId();
  const session = store.auth.session.value!;
  const id = conversation.id;
  const state = composerState(conversation, { id: session.agent.id, role: session.agent.role }, store.now.value);
  const text = store.composer.text(id);
  const send = store.composer.state(id);
  const replyTo = store.composer.replyTo.value[id];
  const quotedMessage = replyTo ? conversation.messages.find((m) => m.id === replyTo) : undefined;
  const [mode, setMode] = useState<'message' | 'note'>('message');
  const picker = store.composer.picker.value === id;
  const setPicker = (open: boolean) => (open ? store.composer.openPicker(id) : store.composer.closePicker());
  const templates = store.config.lists.templates.value;

  useEffect(() => {
    if (state.templatesAllowed) {
      void store.config.ensure('templates');
    }
  }, [state.templatesAllowed]);

  const finished = conversation.status === 'finished';
  const inputLocked = mode === 'message' ? state.locked : finished;
  const submit = (e?: Event) => {
    e?.preventDefault();
    if (inputLocked || send.busy) {
      return;
    }
    void (mode === 'note' ? store.composer.addNote(id) : store.composer.sendText(id));
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      submit(e);
    }
  };

  return (
    <form class={`composer${mode === 'note' ? ' composer-note' : ''}`} onSubmit={submit} aria-label={t('composer.label')}>
      <WindowBanner state={state} onTemplates={() => setPicker(true)} />
      {quotedMessage && (
        <div class="composer-reply">
          <span>
            {t('composer.replying_to')} <em>{snippet(quotedMessage.text, 60)}</em>
          </span>
          <button type="button" class="icon-button" aria-label={t('composer.cancel_reply')} onClick={() => store.composer.setReplyTo(id, null)}>
            ×
          </button>
        </div>
      )}
      <div class="composer-row">
        <label class="sr-only" for={`${uid}-text`}>
          {mode === 'note' ? t('composer.note_label') : t('composer.message_label')}
        </label>
        <textarea
          id={`${uid}-text`}
          rows={2}
          value={text}
          disabled={inputLocked}
          placeholder={mode === 'note' ? t('composer.note_placeholder') : t('composer.placeholder')}
          aria-describedby={send.error ? `${uid}-error` : undefined}
          onInput={(e) => {
            store.composer.setText(id, (e.target as HTMLTextAreaElement).value);
            store.composer.clearError(id);
          }}
          onKeyDown={onKeyDown}
        />
        <button type="submit" class="primary" disabled={inputLocked || send.busy || text.trim() === ''}>
          {send.busy ? t('common.sending') : mode === 'note' ? t('composer.add_note') : t('composer.send')}
        </button>
      </div>
      <div class="composer-tools">
        {features.notes && (
          <div class="segmented" role="radiogroup" aria-label={t('composer.mode')}>
            <label class="radio">
              <input type="radio" name={`${uid}-mode`} checked={mode === 'message'} onChange={() => setMode('message')} /> {t('composer.mode_message')}
            </label>
            <label class="radio">
              <input type="radio" name={`${uid}-mode`} checked={mode === 'note'} disabled={finished} onChange={() => setMode('note')} /> {t('composer.mode_note')}
            </label>
          </div>
        )}
        {mode === 'message' && (
          <label class={`button${state.locked || send.busy ? ' disabled' : ''}`}>
            {t('composer.attach')}
            <input
              type="file"
              class="sr-only"
              accept={ATTACHABLE}
              disabled={state.locked || send.busy}
              onChange={(e) => {
                const input = e.target as HTMLInputElement;
                const file = input.files?.[0];
                input.value = '';
                if (file) {
                  void store.composer.sendFile(id, file);
                }
              }}
            />
          </label>
        )}
        {mode === 'message' && <VoiceNoteButton conversationId={id} disabled={state.locked || send.busy} />}
        {state.templatesAllowed && (
          <button type="button" onClick={() => setPicker(true)}>
            {t('composer.templates')}
          </button>
        )}
      </div>
      <ErrorMessage error={picker ? null : send.error} id={`${uid}-error`} />
      {picker && (
        <Modal title={t('template.title')} onClose={() => setPicker(false)} wide>
          <TemplatePicker
            channel={conversation.channel}
            templates={templates.items}
            loading={templates.loading}
            busy={send.busy}
            error={send.error ?? templates.error}
            submitLabel={t('template.send')}
            onCancel={() => setPicker(false)}
            onSubmit={async (tpl) => {
              if (await store.composer.sendTemplate(id, tpl)) {
                setPicker(false);
              }
            }}
          />
        </Modal>
      )}
    </form>
  );
}

const REASON_TEXT: Record<NonNullable<ComposerState['reason']>, MessageKey> = {
  finished: 'composer.locked.finished',
  not_assignee: 'composer.locked.not_assignee',
  window_closed: 'composer.locked.window_closed',
  awaiting_template_reply: 'composer.locked.awaiting_template_reply',
};

/** Why the composer is locked, and the 24-hour window counting down. */
function WindowBanner({ state, onTemplates }: { state: ComposerState; onTemplates: () => void }) {
  const remaining = state.window.kind === 'open' ? formatCountdown(state.window.remainingMs) : null;
  if (!state.locked) {
    return remaining ? (
      <p class="window-info" aria-live="off">
        {t('composer.window_open', { time: remaining })}
      </p>
    ) : null;
  }
  return (
    <div class={`lock-banner lock-${state.reason}`} role="status">
      <p>
        <strong>{t(REASON_TEXT[state.reason!])}</strong>
        {remaining && state.reason === 'awaiting_template_reply' && <> {t('composer.window_open', { time: remaining })}</>}
      </p>
      {state.templatesAllowed && (
        <button type="button" onClick={onTemplates}>
          {t('composer.send_template')}
        </button>
      )}
    </div>
  );
}
