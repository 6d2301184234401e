import { useEffect, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../../api/error';
import { ErrorMessage } from '../../components/ErrorMessage';
import { t } from '../../i18n';
import { useStore } from '../../state/context';

/** Add the conversation's contact to a portfolio (carteira). */
export function PortfolioForm({ conversationId, onDone }: { conversationId: string; onDone: () => void }) {
  const store = useStore();
  const portfolios = store.config.lists.portfolios.value;
  const [portfolio, setPortfolio] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<number | null>(null);

  useEffect(() => {
    void store.config.ensure('portfolios');
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await store.commands.addToPortfolio(conversationId, portfolio);
      setResult(r.added);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  if (result !== null) {
    return (
      <div class="stack">
        <p role="status">{result > 0 ? t('portfolio.added', { name: store.config.name('portfolios', portfolio) }) : t('portfolio.already')}</p>
        <div class="form-actions">
          <button type="button" class="primary" onClick={onDone}>
            {t('common.close')}
          </button>
        </div>
      </div>
    );
  }

  return (
    <form onSubmit={submit} class="stack">
      <label class="field">
        <span>{t('portfolio.choose')}</span>
        <select required value={portfolio} onChange={(e) => setPortfolio((e.target as HTMLSelectElement).value)}>
          <option value="">{portfolios.items === null ? t('common.loading') : t('common.choose')}</option>
          {(portfolios.items ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({t('portfolio.contacts', { n: p.contact_count })})
            </option>
          ))}
        </select>
      </label>
      <ErrorMessage error={portfolios.error ?? error} />
      <div class="form-actions">
        <button type="button" onClick={onDone}>
          {t('common.cancel')}
        </button>
        <button type="submit" class="primary" disabled={busy || !portfolio}>
          {busy ? t('common.working') : t('portfolio.add')}
        </button>
      </div>
    </form>
  );
}
