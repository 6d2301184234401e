import { useId, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../../../api/error';
import { importContacts, type ImportResult } from '../../../api/portfolios';
import { ErrorMessage, errorLead } from '../../../components/ErrorMessage';
import { Modal } from '../../../components/Modal';
import { formatCount } from '../../../i18n/format';
import { t, tn } from '../../../i18n';
import { useStore } from '../../../state/context';
import { IMPORT_HEADER } from './csv';

/**
 * Importar CSV (POST /v1/contacts/import): a file, then what happened:
 * contacts created and updated, and each refused line with its code,
 * field and the server's message. The good lines are kept.
 */
export function ImportContacts(props: { onImported: (r: ImportResult) => void; onClose: () => void }) {
  const store = useStore();
  const uid = useId();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file) {
      return;
    }
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await importContacts(store.deps.api, file);
      setResult(r);
      props.onImported(r);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={t('contacts.import_title')} onClose={props.onClose} wide>
      <form class="stack import-form" onSubmit={submit}>
        <label class="field">
          <span>{t('contacts.import_file')}</span>
          <input
            type="file"
            accept=".csv,text/csv"
            aria-describedby={`${uid}-hint`}
            onChange={(e) => {
              setFile((e.target as HTMLInputElement).files?.[0] ?? null);
              setResult(null);
              setError(null);
            }}
          />
        </label>
        <p class="muted field-hint" id={`${uid}-hint`}>
          {t('contacts.import_hint', { header: IMPORT_HEADER })}
        </p>
        <ErrorMessage error={error} />
        <div class="form-actions">
          <button type="button" onClick={props.onClose}>
            {t('common.close')}
          </button>
          <button type="submit" class="primary" disabled={!file || busy}>
            {busy ? t('common.working') : t('contacts.import_send')}
          </button>
        </div>
      </form>
      {result && <ImportReport result={result} />}
    </Modal>
  );
}

/** The import's result: counts, then the refused lines in a table. */
export function ImportReport({ result }: { result: ImportResult }) {
  const uid = useId();
  return (
    <section class="import-report" aria-labelledby={`${uid}-title`}>
      <h3 id={`${uid}-title`}>{t('contacts.import_result')}</h3>
      <p role="status">
        {tn('contacts.imported', result.imported, { count: formatCount(result.imported) })} ·{' '}
        {tn('contacts.updated', result.updated, { count: formatCount(result.updated) })} ·{' '}
        {tn('contacts.refused', result.errors.length, { count: formatCount(result.errors.length) })}
      </p>
      {result.errors.length > 0 && (
        <div class="table-scroll">
          <table class="data-table import-errors">
            <caption>{t('contacts.refused_lines')}</caption>
            <thead>
              <tr>
                <th scope="col" class="num">
                  {t('contacts.col.line')}
                </th>
                <th scope="col">{t('contacts.col.code')}</th>
                <th scope="col">{t('contacts.col.field')}</th>
                <th scope="col">{t('contacts.col.message')}</th>
              </tr>
            </thead>
            <tbody>
              {result.errors.map((e, i) => {
                const lead = errorLead(e.code);
                return (
                  <tr key={`${e.line}-${i}`}>
                    <td class="num">{e.line}</td>
                    <td>
                      <code>{e.code}</code>
                      {lead && <span class="muted code-lead">{lead}</span>}
                    </td>
                    <td>{e.field ? <code>{e.field}</code> : <span class="muted">—</span>}</td>
                    <td>{e.message}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
