import { useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../../../api/error';
import { deletePortfolios, type Portfolio } from '../../../api/portfolios';
import type { BulkItemResult } from '../../../api/types';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { Modal } from '../../../components/Modal';
import { t, tn } from '../../../i18n';
import { useStore } from '../../../state/context';
import { BulkResults } from '../../inbox/BulkBar';

/**
 * Excluir: asks first, naming the portfolios, then deletes them
 * (POST /v1/portfolios/delete: each on its own) and shows each one's
 * result as the inbox's bulk actions do.
 */
export function DeletePortfolios(props: { portfolios: Portfolio[]; onDeleted: (ids: string[]) => void; onClose: () => void }) {
  const store = useStore();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [results, setResults] = useState<BulkItemResult[] | null>(null);
  // Names now: the deleted portfolios leave the table.
  const [names] = useState(() => new Map(props.portfolios.map((p) => [p.id, p.name])));

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const reply = await deletePortfolios(
        store.deps.api,
        props.portfolios.map((p) => p.id),
      );
      setResults(reply.results);
      props.onDeleted(reply.results.filter((r) => r.ok).map((r) => r.id));
    } catch (e) {
      setError(toApiError(e));
      setBusy(false);
    }
  };

  if (results) {
    return <BulkResults results={results} names={names} onClose={props.onClose} />;
  }
  const n = props.portfolios.length;
  return (
    <Modal title={tn('portfolios.delete_title', n)} onClose={props.onClose}>
      <div class="stack">
        <p>{tn('portfolios.delete_question', n)}</p>
        <ul class="delete-list">
          {props.portfolios.map((p) => (
            <li key={p.id}>
              <strong>{p.name}</strong> <span class="muted">{tn('portfolios.contact_count', p.contact_count, { count: p.contact_count })}</span>
            </li>
          ))}
        </ul>
        <p class="muted">{t('portfolios.delete_keeps_contacts')}</p>
        <ErrorMessage error={error} />
        <div class="form-actions">
          <button type="button" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" class="danger" disabled={busy} onClick={() => void confirm()}>
            {busy ? t('common.working') : t('portfolios.delete_confirm')}
          </button>
        </div>
      </div>
    </Modal>
  );
}
