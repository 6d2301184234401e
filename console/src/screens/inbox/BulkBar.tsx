import { useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../../api/error';
import type { BulkItemResult, BulkRequest } from '../../api/types';
import { FinishForm } from '../../components/actions/FinishForm';
import { TransferForm } from '../../components/actions/TransferForm';
import { ErrorMessage, ErrorText } from '../../components/ErrorMessage';
import { Modal } from '../../components/Modal';
import { t, tn } from '../../i18n';
import { contactName } from '../../lib/phone';
import { useStore } from '../../state/context';

type Dialog = 'finish' | 'transfer' | 'automation' | null;

/** Bulk actions on the selection (POST /v1/conversations/bulk), each item's result shown. */
export function BulkBar({ onResults }: { onResults: (results: BulkItemResult[], names: ReadonlyMap<string, string>) => void }) {
  const store = useStore();
  const selection = store.selection.value;
  const [dialog, setDialog] = useState<Dialog>(null);
  const ids = [...selection];

  const run = async (body: Omit<BulkRequest, 'ids'>) => {
    // Names now: the conversations may leave the list after the action.
    const names = new Map(store.list.value.items.map((c) => [c.id, contactName(c.contact)]));
    const reply = await store.commands.bulk({ ...body, ids } as BulkRequest);
    setDialog(null);
    onResults(reply.results, names);
    store.setSelecting(false);
  };

  return (
    <div class="bulk-bar" role="region" aria-label={t('bulk.title')}>
      <span aria-live="polite">{tn('bulk.selected', selection.size)}</span>
      <button type="button" onClick={() => store.selectAllLoaded()}>
        {t('bulk.select_all')}
      </button>
      <button type="button" disabled={selection.size === 0} onClick={() => store.clearSelection()}>
        {t('bulk.clear')}
      </button>
      <span class="spacer" />
      <button type="button" disabled={selection.size === 0} onClick={() => setDialog('finish')}>
        {t('action.finish')}
      </button>
      <button type="button" disabled={selection.size === 0} onClick={() => setDialog('transfer')}>
        {t('action.transfer')}
      </button>
      <button type="button" disabled={selection.size === 0} onClick={() => setDialog('automation')}>
        {t('bulk.automation')}
      </button>

      {dialog === 'finish' && (
        <Modal title={tn('bulk.finish_title', ids.length)} onClose={() => setDialog(null)}>
          <FinishForm onSubmit={(body) => run({ action: 'finish', ...body })} onCancel={() => setDialog(null)} />
        </Modal>
      )}
      {dialog === 'transfer' && (
        <Modal title={tn('bulk.transfer_title', ids.length)} onClose={() => setDialog(null)}>
          <TransferForm allowNote={false} onSubmit={(body) => run({ action: 'transfer', ...body })} onCancel={() => setDialog(null)} />
        </Modal>
      )}
      {dialog === 'automation' && (
        <Modal title={tn('bulk.automation_title', ids.length)} onClose={() => setDialog(null)}>
          <AutomationForm onSubmit={(automation) => run({ action: 'automation', automation })} onCancel={() => setDialog(null)} />
        </Modal>
      )}
    </div>
  );
}

function AutomationForm(props: { onSubmit: (automation: string) => Promise<void>; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit(name.trim());
    } catch (err) {
      setError(toApiError(err));
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} class="stack">
      <label class="field">
        <span>{t('bulk.automation_name')}</span>
        <input required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      </label>
      <ErrorMessage error={error} />
      <div class="form-actions">
        <button type="button" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('common.working') : t('bulk.run_automation')}
        </button>
      </div>
    </form>
  );
}

/** Each conversation's own result of a bulk action. */
export function BulkResults({ results, names, onClose }: { results: readonly BulkItemResult[]; names: ReadonlyMap<string, string>; onClose: () => void }) {
  const ok = results.filter((r) => r.ok).length;
  return (
    <Modal title={t('bulk.results')} onClose={onClose}>
    <div class="bulk-results">
      <p role="status">{t('bulk.summary', { ok, failed: results.length - ok })}</p>
      <ul>
        {results.map((r) => (
          <li key={r.id} class={r.ok ? 'ok' : 'failed'}>
            <span class="bulk-name">{names.get(r.id) ?? r.id}</span>
            {r.ok ? <span class="ok-mark">{t('bulk.ok')}</span> : <span class="error">
                <ErrorText error={r.error} />
              </span>}
          </li>
        ))}
      </ul>
    </div>
      <div class="form-actions">
        <button type="button" class="primary" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </Modal>
  );
}
