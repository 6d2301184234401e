import { ErrorMessage } from '../../components/ErrorMessage';
import { usePaged } from '../../components/use-paged';
import { formatDateTime } from '../../i18n/format';
import { t } from '../../i18n';
import { useStore } from '../../state/context';
import { parseActor } from './message-view';

/** The conversation's audit timeline (GET …/timeline): who, when, what. */
export function Timeline({ conversationId }: { conversationId: string }) {
  const store = useStore();
  const { items, done, busy, error, more } = usePaged((cursor) => store.commands.timeline(conversationId, cursor), conversationId);

  const who = (actor: string) => {
    const a = parseActor(actor);
    switch (a.kind) {
      case 'agent':
        return store.config.name('agents', a.id);
      case 'rule':
        return t('actor.rule', { name: a.name });
      case 'connector':
        return t('actor.connector');
      case 'root':
        return t('actor.root');
      case 'other':
        return a.text;
    }
  };

  return (
    <div class="timeline">
      <ol aria-label={t('timeline.title')}>
        {items.map((it) => (
          <li key={it.seq}>
            <time dateTime={it.at}>{formatDateTime(it.at)}</time>
            <span class="timeline-who">{who(it.actor)}</span>
            <span class="timeline-what">{it.summary}</span>
            <code class="muted">{it.type}</code>
          </li>
        ))}
      </ol>
      <ErrorMessage error={error} />
      {busy ? (
        <p class="muted">{t('common.loading')}</p>
      ) : (
        !done && (
          <button type="button" onClick={more}>
            {error ? t('common.retry') : t('timeline.more')}
          </button>
        )
      )}
      {done && items.length === 0 && <p class="muted">{t('timeline.empty')}</p>}
    </div>
  );
}
