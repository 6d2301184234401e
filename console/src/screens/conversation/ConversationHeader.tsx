import { useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../../api/error';
import { features } from '../../api/features';
import type { ConversationDetail } from '../../api/types';
import { href } from '../../app/router';
import { FinishForm } from '../../components/actions/FinishForm';
import { TransferForm } from '../../components/actions/TransferForm';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Modal } from '../../components/Modal';
import { t, type MessageKey } from '../../i18n';
import { contactName, formatPhone } from '../../lib/phone';
import { useStore } from '../../state/context';
import { newConversationHref } from './ContactPanel';
import { PortfolioForm } from './PortfolioForm';

type Dialog = 'transfer' | 'finish' | 'portfolio' | null;

const STATUS: Record<ConversationDetail['status'], MessageKey> = {
  waiting: 'flag.waiting',
  open: 'conversation.status_open',
  finished: 'flag.finished',
  snoozed: 'flag.snoozed',
};

/** Who the conversation is with, where it is, and the actions on it. */
export function ConversationHeader({ conversation }: { conversation: ConversationDetail }) {
  const store = useStore();
  const c = conversation;
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const finished = c.status === 'finished';
  const team = store.config.lists.teams.value.items?.find((x) => x.id === c.team);

  const take = async () => {
    setBusy(true);
    setError(null);
    try {
      await store.commands.assign(c.id);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <header class="conversation-header">
      <a class="back-link" href={href('inbox')}>
        ← {t('conversation.back')}
      </a>
      <div class="conversation-who">
        <h2>{contactName(c.contact)}</h2>
        <p class="muted">
          {formatPhone(c.contact.phone)} · {t('conversation.via', { channel: store.config.name('channels', c.channel) })} ·{' '}
          {t('conversation.team', { team: store.config.name('teams', c.team) })}
        </p>
        <p class="conversation-state">
          <span class={`flag flag-${c.status}`}>{t(STATUS[c.status])}</span>
          {c.assignee && <span>{t('conversation.assignee', { name: store.config.name('agents', c.assignee) })}</span>}
          {c.tags.length > 0 && <span>{t('conversation.tags', { tags: c.tags.join(', ') })}</span>}
          {c.stage && <span>{t('conversation.stage', { stage: c.stage })}</span>}
          {finished && c.reason && <span>{t('conversation.finished_reason', { reason: store.config.name('reasons', c.reason) })}</span>}
        </p>
      </div>
      <div class="conversation-actions">
        {c.status === 'waiting' && (
          <button type="button" class="primary" disabled={busy} onClick={() => void take()}>
            {t('action.take')}
          </button>
        )}
        {!finished && (
          <button type="button" onClick={() => setDialog('transfer')}>
            {t('action.transfer')}
          </button>
        )}
        {!finished && (
          <button type="button" onClick={() => setDialog('finish')}>
            {t('action.finish')}
          </button>
        )}
        <button type="button" onClick={() => setDialog('portfolio')}>
          {t('action.portfolio')}
        </button>
        {finished && (
          <a class="button" href={newConversationHref(c.contact.phone, c.channel)}>
            {t('nav.new_conversation')}
          </a>
        )}
      </div>
      <ErrorMessage error={error} />

      {dialog === 'transfer' && (
        <Modal title={t('transfer.title')} onClose={() => setDialog(null)}>
          <TransferForm
            allowNote={features.notes}
            exceptAgent={c.assignee}
            onCancel={() => setDialog(null)}
            onSubmit={async (body) => {
              await store.commands.transfer(c.id, body);
              setDialog(null);
            }}
          />
        </Modal>
      )}
      {dialog === 'finish' && (
        <Modal title={t('action.finish')} onClose={() => setDialog(null)}>
          <FinishForm
            reasonRequired={team?.require_reason ?? false}
            onCancel={() => setDialog(null)}
            onSubmit={async (body) => {
              await store.commands.finish(c.id, body);
              setDialog(null);
            }}
          />
        </Modal>
      )}
      {dialog === 'portfolio' && (
        <Modal title={t('portfolio.title')} onClose={() => setDialog(null)}>
          <PortfolioForm conversationId={c.id} onDone={() => setDialog(null)} />
        </Modal>
      )}
    </header>
  );
}
