import { useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../../api/error';
import type { Message } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Ticks, failureReason } from '../../components/Ticks';
import { formatDateTime, formatListTime } from '../../i18n/format';
import { t } from '../../i18n';
import { useStore } from '../../state/context';
import { MediaAttachment } from './MediaAttachment';
import { groupReactions, mediaKind, snippet } from './message-view';
import { kindKey } from '../inbox/row-view';

/** The reactions an agent picks from, as WhatsApp offers them first. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'] as const;

/** One message: quote, media, text, time with delivery ticks, failure reason, reactions. */
export function MessageBubble(props: {
  message: Message;
  quote: Message | null;
  contactName: string;
  onReply?: () => void;
  /** React with an emoji ('' removes the agent's reaction). */
  onReact?: (emoji: string) => Promise<void>;
  /** A failed send: open the template picker to try with another template. */
  onRetryTemplate?: () => void;
}) {
  const store = useStore();
  const m = props.message;
  const [picking, setPicking] = useState(false);
  const [reactError, setReactError] = useState<ApiError | null>(null);
  const me = store.meId;
  const mine = me ? (m.reactions ?? []).find((r) => r.by === me)?.emoji || null : null;
  const react = async (emoji: string) => {
    setReactError(null);
    try {
      await props.onReact!(emoji === mine ? '' : emoji);
      setPicking(false);
    } catch (e) {
      setReactError(toApiError(e));
    }
  };
  const media = mediaKind(m);
  const reactions = groupReactions(m.reactions);
  const failed = m.status === 'failed';
  const other = !media && !m.text && !m.location && !m.contacts?.length ? kindKey(m.kind) : null;
  const who = (id: string) => (id === 'customer' ? props.contactName : store.config.name('agents', id));

  return (
    <li class={`msg msg-${m.direction}${failed ? ' msg-failed' : ''}`} id={`msg-${m.id}`}>
      {m.direction === 'note' && <span class="msg-label">{t('message.note_by', { who: m.author ? who(m.author) : '—' })}</span>}
      {m.automation && <span class="msg-label">{t('message.automation', { name: m.automation })}</span>}
      {m.template && <span class="msg-label">{t('message.template', { name: m.template.name })}</span>}
      {props.quote && (
        <a
          class="msg-quote"
          href={`#msg-${props.quote.id}`}
          onClick={(e) => {
            e.preventDefault();
            document.getElementById(`msg-${props.quote!.id}`)?.scrollIntoView({ block: 'center' });
          }}
        >
          <strong>{props.quote.direction === 'in' ? props.contactName : t('conversation.you')}</strong>
          <span>{snippet(props.quote.text || (kindKey(props.quote.kind) ? t(kindKey(props.quote.kind)!) : ''))}</span>
        </a>
      )}
      {m.reply_to && !props.quote && <span class="msg-quote muted">{t('message.quote_missing')}</span>}
      {media && <MediaAttachment message={m} kind={media} />}
      {m.location && (
        <p class="msg-location">
          📍 {m.location.name ?? t('kind.location')} ({m.location.latitude.toFixed(5)}, {m.location.longitude.toFixed(5)})
          {m.location.address ? ` · ${m.location.address}` : ''}
        </p>
      )}
      {m.contacts && m.contacts.length > 0 && (
        <ul class="msg-contacts" aria-label={t('kind.contacts')}>
          {m.contacts.map((c, i) => (
            <li key={i}>
              👤 <strong>{c.name ?? t('kind.contacts')}</strong>
              {(c.phones ?? []).map((p) => p.phone ?? p.wa_id).filter(Boolean).map((phone) => (
                <span key={phone}> · {phone}</span>
              ))}
            </li>
          ))}
        </ul>
      )}
      {m.text ? <p class="msg-text">{m.text}</p> : other && <p class="msg-text muted">{t(other)}</p>}
      {m.media?.caption && m.media.caption !== m.text && <p class="msg-text">{m.media.caption}</p>}
      <div class="msg-foot">
        <time dateTime={m.at} title={formatDateTime(m.at)}>
          {formatListTime(m.at, store.minute.value)}
        </time>
        {m.direction === 'out' && m.status && <Ticks status={m.status} error={m.error} />}
        {props.onReply && m.direction !== 'note' && (
          <button type="button" class="link-button" onClick={props.onReply} aria-label={t('message.reply_to', { text: snippet(m.text, 30) })}>
            {t('message.reply')}
          </button>
        )}
        {props.onReact && m.direction !== 'note' && (
          <button type="button" class="link-button" aria-expanded={picking} onClick={() => setPicking(!picking)}>
            {t('message.react')}
          </button>
        )}
      </div>
      {picking && (
        <div class="reaction-picker" role="group" aria-label={t('message.react_with')}>
          {QUICK_REACTIONS.map((emoji) => (
            <button
              key={emoji}
              type="button"
              aria-pressed={mine === emoji}
              title={mine === emoji ? t('message.react_remove') : undefined}
              onClick={() => void react(emoji)}
            >
              {emoji}
            </button>
          ))}
        </div>
      )}
      <ErrorMessage error={reactError} />
      {failed && (
        <p class="msg-error" role="note">
          {t('message.failed')}
          {m.error ? `: ${failureReason(m.error)}` : ''}
          {props.onRetryTemplate && m.direction === 'out' && (
            <>
              {' '}
              <button type="button" class="link-button" onClick={props.onRetryTemplate}>
                {t('message.retry_template')}
              </button>
            </>
          )}
        </p>
      )}
      {reactions.length > 0 && (
        <ul class="reactions" aria-label={t('message.reactions')}>
          {reactions.map((r) => (
            <li key={r.emoji} title={r.by.map(who).join(', ')}>
              {r.emoji}
              {r.count > 1 && <span class="count">{r.count}</span>}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
