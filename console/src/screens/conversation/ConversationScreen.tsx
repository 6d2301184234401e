import { useEffect, useState } from 'preact/hooks';
import { ErrorMessage } from '../../components/ErrorMessage';
import { t } from '../../i18n';
import { contactName } from '../../lib/phone';
import { useStore } from '../../state/context';
import { Composer } from './Composer';
import { ContactPanel } from './ContactPanel';
import { ConversationHeader } from './ConversationHeader';
import { MessageList } from './MessageList';
import { Timeline } from './Timeline';
import './conversation.css';

type View = 'messages' | 'timeline' | 'contact';
const VIEWS: readonly View[] = ['messages', 'timeline', 'contact'];
const VIEW_LABEL = { messages: 'conversation.messages', timeline: 'timeline.title', contact: 'contact.title' } as const;

/** A conversation: header with actions; messages and composer, timeline, or the contact panel. */
export function ConversationScreen({ id }: { id: string }) {
  const store = useStore();
  const [tab, setTab] = useState<View>('messages');

  useEffect(() => {
    store.openConversation(id);
    setTab('messages');
    void store.config.ensure('teams');
    void store.config.ensure('channels');
    void store.config.ensure('agents');
    void store.config.ensure('reasons');
    void store.config.ensure('portfolios');
    return () => {
      if (store.openId.value === id) {
        store.openConversation(null);
      }
    };
  }, [id]);

  const entry = store.details.value[id];
  const load = store.detailLoad.value[id];
  if (!entry) {
    return (
      <section class="conversation conversation-loading">
        {load?.error ? (
          <>
            <ErrorMessage error={load.error} />
            <button type="button" onClick={() => void store.loadDetail(id)}>
              {t('common.retry')}
            </button>
          </>
        ) : (
          <p class="muted">{t('common.loading')}</p>
        )}
      </section>
    );
  }

  const c = entry.conversation;
  const session = store.auth.session.value!;
  const canReply = c.status !== 'finished' && (session.agent.role === 'admin' || c.assignee === session.agent.id);
  return (
    <section class="conversation" aria-labelledby="conversation-title">
      <h1 id="conversation-title" class="sr-only">
        {t('conversation.title', { name: contactName(c.contact) })}
      </h1>
      <ConversationHeader conversation={c} />
      {entry.gone && (
        <p class="notice" role="alert">
          {t('conversation.gone')}
        </p>
      )}
      <div class="tabs" role="tablist" aria-label={t('conversation.views')}>
        {VIEWS.map((k, i) => (
          <button
            key={k}
            type="button"
            role="tab"
            id={`ctab-${k}`}
            aria-selected={tab === k}
            aria-controls={`cpanel-${k}`}
            tabIndex={tab === k ? 0 : -1}
            class={tab === k ? 'tab selected' : 'tab'}
            onClick={() => setTab(k)}
            onKeyDown={(e) => {
              const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
              if (step !== 0) {
                e.preventDefault();
                const next = VIEWS[(i + step + VIEWS.length) % VIEWS.length]!;
                setTab(next);
                document.getElementById(`ctab-${next}`)?.focus();
              }
            }}
          >
            {t(VIEW_LABEL[k])}
          </button>
        ))}
      </div>
      <div class="conversation-body" role="tabpanel" id={`cpanel-${tab}`} aria-labelledby={`ctab-${tab}`}>
        {tab === 'messages' ? (
          <>
            <MessageList key={c.id} conversation={c} canReply={canReply} />
            {!entry.gone && <Composer key={c.id} conversation={c} />}
          </>
        ) : tab === 'timeline' ? (
          <Timeline conversationId={c.id} />
        ) : (
          <ContactPanel conversation={c} />
        )}
      </div>
    </section>
  );
}
