import type { Conversation } from '../../api/types';
import { Ticks } from '../../components/Ticks';
import { formatListTime } from '../../i18n/format';
import { t } from '../../i18n';
import { contactName } from '../../lib/phone';
import { useStore } from '../../state/context';
import { previewOf, rowFlags } from './row-view';

/** One inbox row: contact, last message with its ticks, time, and the flags. */
export function ConversationRow(props: { conversation: Conversation; active: boolean; selected: boolean; selecting: boolean; onClick: () => void }) {
  const store = useStore();
  const c = props.conversation;
  const me = store.meId;
  const preview = previewOf(c.last_message);
  const out = c.last_message?.direction === 'out';
  const flags = rowFlags(c);
  const classes = ['conv-row', props.active ? 'active' : '', props.selected ? 'selected' : '', c.send_failed && c.status !== 'finished' ? 'failed' : '']
    .filter(Boolean)
    .join(' ');

  return (
    <div id={`conv-${c.id}`} role="option" aria-selected={props.selected} class={classes} onClick={props.onClick}>
      {props.selecting && <span class={`checkbox${props.selected ? ' checked' : ''}`} aria-hidden="true" />}
      <div class="conv-main">
        <div class="conv-line">
          <span class="conv-name">{contactName(c.contact)}</span>
          <time class="conv-time" dateTime={c.last_activity_at}>
            {formatListTime(c.last_activity_at, store.minute.value)}
          </time>
        </div>
        <div class="conv-line conv-preview">
          {out && c.last_message?.status && <Ticks status={c.last_message.status} />}
          <span class="conv-text">
            {out ? `${t('conversation.you')}: ` : c.last_message?.direction === 'note' ? `${t('conversation.note')}: ` : ''}
            {preview.kind ? t(preview.kind) : preview.text}
          </span>
        </div>
        <div class="conv-line conv-meta">
          {flags.map((f) => (
            <span key={f} class={`flag ${f.replace('.', '-')}`}>
              {t(f)}
            </span>
          ))}
          <span class="meta">{store.config.name('channels', c.channel)}</span>
          <span class="meta">{store.config.name('teams', c.team)}</span>
          {c.assignee && c.assignee !== me && <span class="meta">{store.config.name('agents', c.assignee)}</span>}
        </div>
      </div>
    </div>
  );
}
