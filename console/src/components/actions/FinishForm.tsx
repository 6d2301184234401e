import { useEffect, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../../api/error';
import type { FinishRequest } from '../../api/types';
import { t } from '../../i18n';
import { useStore } from '../../state/context';
import { ErrorMessage } from '../ErrorMessage';

/** Finalizar atendimento: Motivo (GET /v1/reasons) and a description. */
export function FinishForm(props: { reasonRequired?: boolean; submitLabel?: string; onSubmit: (body: FinishRequest) => Promise<void>; onCancel: () => void }) {
  const store = useStore();
  const reasons = store.config.lists.reasons.value;
  const [reason, setReason] = useState('');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    void store.config.ensure('reasons');
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: FinishRequest = {};
      if (reason) {
        body.reason = reason;
      }
      if (description.trim()) {
        body.description = description.trim();
      }
      await props.onSubmit(body);
    } catch (err) {
      setError(toApiError(err));
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} class="stack">
      <label class="field">
        <span>
          {t('finish.reason')}
          {!props.reasonRequired && <span class="muted"> {t('common.optional')}</span>}
        </span>
        <select value={reason} required={props.reasonRequired} onChange={(e) => setReason((e.target as HTMLSelectElement).value)}>
          <option value="">{reasons.items === null ? t('common.loading') : t('finish.no_reason')}</option>
          {(reasons.items ?? []).map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </label>
      <ErrorMessage error={reasons.error} />
      <label class="field">
        <span>{t('finish.description')}</span>
        <textarea rows={3} value={description} onInput={(e) => setDescription((e.target as HTMLTextAreaElement).value)} />
      </label>
      <ErrorMessage error={error} />
      <div class="form-actions">
        <button type="button" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('common.working') : (props.submitLabel ?? t('action.finish'))}
        </button>
      </div>
    </form>
  );
}
