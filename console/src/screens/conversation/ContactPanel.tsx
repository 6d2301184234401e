import { useEffect, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../../api/error';
import type { Contact, ConversationDetail } from '../../api/types';
import { href } from '../../app/router';
import { ErrorMessage } from '../../components/ErrorMessage';
import { usePaged } from '../../components/use-paged';
import { formatDateTime } from '../../i18n/format';
import { t } from '../../i18n';
import { formatPhone } from '../../lib/phone';
import { useStore } from '../../state/context';
import { PagedMore } from '../../components/PagedMore';

/** The link that opens Nova conversa with this contact on a channel. */
export function newConversationHref(phone: string, channel: string): string {
  return `${href('new-conversation')}?to=${encodeURIComponent(phone)}&channel=${encodeURIComponent(channel)}`;
}

/**
 * The contact of the conversation: its record (tags, stage, departments,
 * portfolios) and its history, the finished conversations the agent may
 * see, each of which can be opened or continued with Nova conversa.
 */
export function ContactPanel({ conversation }: { conversation: ConversationDetail }) {
  const store = useStore();
  const contactId = conversation.contact.id;
  const [contact, setContact] = useState<Contact | null>(null);
  const [contactError, setContactError] = useState<ApiError | null>(null);
  const history = usePaged((cursor) => store.commands.contactHistory(contactId, cursor), contactId);

  const loadContact = async () => {
    setContactError(null);
    try {
      setContact(await store.commands.contact(contactId));
    } catch (e) {
      setContactError(toApiError(e));
    }
  };

  useEffect(() => {
    setContact(null);
    void store.config.ensure('portfolios');
    void loadContact();
  }, [contactId]);

  const list = (values: readonly string[] | undefined) => (values && values.length > 0 ? values.join(', ') : '—');

  return (
    <div class="contact-panel">
      <section aria-labelledby="contact-data-title">
        <h3 id="contact-data-title">{t('contact.title')}</h3>
        {contactError ? (
          <>
            <ErrorMessage error={contactError} />
            <button type="button" onClick={() => void loadContact()}>
              {t('common.retry')}
            </button>
          </>
        ) : !contact ? (
          <p class="muted">{t('common.loading')}</p>
        ) : (
          <dl class="contact-fields">
            <dt>{t('contact.name')}</dt>
            <dd>{contact.name}</dd>
            <dt>{t('contact.phone')}</dt>
            <dd>{formatPhone(contact.phone)}</dd>
            <dt>{t('contact.tags')}</dt>
            <dd>{list(contact.tags)}</dd>
            <dt>{t('contact.stage')}</dt>
            <dd>{contact.stage ?? '—'}</dd>
            <dt>{t('contact.departments')}</dt>
            <dd>{list(contact.departments)}</dd>
            <dt>{t('contact.portfolios')}</dt>
            <dd>{list(contact.portfolios.map((p) => store.config.name('portfolios', p)))}</dd>
          </dl>
        )}
        <a class="button" href={newConversationHref(conversation.contact.phone, conversation.channel)}>
          {t('nav.new_conversation')}
        </a>
      </section>

      <section aria-labelledby="contact-history-title">
        <h3 id="contact-history-title">{t('contact.history')}</h3>
        {history.items.length > 0 && (
          <ol class="contact-history">
            {history.items.map((it) => (
              <li key={it.id}>
                <p>
                  <a href={href('conversation', { id: it.id })}>
                    {t('contact.history_item', { opened: formatDateTime(it.opened_at), finished: formatDateTime(it.finished_at) })}
                  </a>
                </p>
                <p class="muted">
                  {t('conversation.via', { channel: store.config.name('channels', it.channel) })} ·{' '}
                  {t('conversation.team', { team: store.config.name('teams', it.team) })} ·{' '}
                  {it.agent ? t('conversation.assignee', { name: store.config.name('agents', it.agent) }) : t('contact.no_agent')}
                </p>
                {(it.reason || it.description) && (
                  <p>
                    {it.reason && t('conversation.finished_reason', { reason: store.config.name('reasons', it.reason) })}
                    {it.reason && it.description ? ' · ' : ''}
                    {it.description}
                  </p>
                )}
                <a
                  class="button"
                  href={newConversationHref(conversation.contact.phone, it.channel)}
                  aria-label={t('contact.history_new', { channel: store.config.name('channels', it.channel) })}
                >
                  {t('nav.new_conversation')}
                </a>
              </li>
            ))}
          </ol>
        )}
        <PagedMore list={history} moreLabel={t('timeline.more')} empty={t('contact.history_empty')} />
      </section>
    </div>
  );
}
