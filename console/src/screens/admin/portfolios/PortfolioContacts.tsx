import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../../../api/error';
import { changePortfolioContacts, cleanFilter, countByFilter, portfolioContacts, type ContactFilter, type FilterCount, type Portfolio } from '../../../api/portfolios';
import type { ContactsChanged } from '../../../api/types';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { Modal } from '../../../components/Modal';
import { usePaged } from '../../../components/use-paged';
import { formatCount } from '../../../i18n/format';
import { t, tn } from '../../../i18n';
import { contactName, formatPhone } from '../../../lib/phone';
import { useStore } from '../../../state/context';
import { PagedMore } from '../../../components/PagedMore';

type Preview =
  | { state: 'idle' }
  | { state: 'counting'; soFar: number }
  | { state: 'ready'; filter: ContactFilter; count: FilterCount }
  | { state: 'failed'; error: ApiError };

/**
 * A portfolio's contacts: the list, page by page, each removable; and
 * "Adicionar por filtro" (name prefix, tag), which first counts how many
 * contacts the filter would add, then adds them when confirmed.
 */
export function PortfolioContacts(props: { portfolio: Portfolio; onChanged: () => Promise<void>; onClose: () => void }) {
  const store = useStore();
  const api = store.deps.api;
  const p = props.portfolio;
  const uid = useId();
  const [version, setVersion] = useState(0);
  const list = usePaged((cursor) => portfolioContacts(api, p.id, cursor), `${p.id}:${version}`);
  const [name, setName] = useState('');
  const [tag, setTag] = useState('');
  const [preview, setPreview] = useState<Preview>({ state: 'idle' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<ContactsChanged | null>(null);
  // Each count has a number; a newer count, a changed filter or closing stops the older one.
  const counting = useRef(0);
  useEffect(() => () => void counting.current++, []);

  const edit = (set: (v: string) => void) => (e: Event) => {
    set((e.target as HTMLInputElement).value);
    counting.current++;
    setPreview({ state: 'idle' });
    setResult(null);
  };

  const count = async (e: Event) => {
    e.preventDefault();
    const filter = cleanFilter({ name, tag });
    if (!filter) {
      return;
    }
    const mine = ++counting.current;
    const stop = () => counting.current !== mine;
    setResult(null);
    setError(null);
    setPreview({ state: 'counting', soFar: 0 });
    try {
      const c = await countByFilter(api, filter, p.id, { stop, onPage: (x) => !stop() && setPreview({ state: 'counting', soFar: x.matching }) });
      if (c && !stop()) {
        setPreview({ state: 'ready', filter, count: c });
      }
    } catch (err) {
      if (!stop()) {
        setPreview({ state: 'failed', error: toApiError(err) });
      }
    }
  };

  const change = async (body: Parameters<typeof changePortfolioContacts>[2]) => {
    setBusy(true);
    setError(null);
    try {
      setResult(await changePortfolioContacts(api, p.id, body));
      setVersion((v) => v + 1);
      await props.onChanged();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const addFiltered = async () => {
    if (preview.state !== 'ready') {
      return;
    }
    await change({ add_filter: preview.filter });
    setPreview({ state: 'idle' });
  };

  const toAdd = preview.state === 'ready' ? preview.count.matching - preview.count.already : 0;
  const n = (x: number) => formatCount(x);

  return (
    <Modal title={t('portfolios.contacts_title', { name: p.name })} onClose={props.onClose} wide>
      <form class="portfolio-filter" onSubmit={count} aria-labelledby={`${uid}-filter`}>
        <h3 id={`${uid}-filter`}>{t('portfolios.filter.title')}</h3>
        <p class="muted">{t('portfolios.filter.hint')}</p>
        <div class="portfolio-filter-fields">
          <label class="field">
            <span>{t('portfolios.filter.name')}</span>
            <input value={name} onInput={edit(setName)} />
          </label>
          <label class="field">
            <span>{t('portfolios.filter.tag')}</span>
            <input value={tag} onInput={edit(setTag)} />
          </label>
          <button type="submit" disabled={!cleanFilter({ name, tag }) || preview.state === 'counting'}>
            {t('portfolios.filter.preview')}
          </button>
        </div>
        <div class="portfolio-filter-preview" role="status">
          {preview.state === 'counting' && <p class="muted">{t('portfolios.filter.counting', { n: n(preview.soFar) })}</p>}
          {preview.state === 'ready' && (
            <p>
              {tn('portfolios.filter.matching', preview.count.matching, { count: n(preview.count.matching) })}{' '}
              {preview.count.already > 0 && tn('portfolios.filter.already', preview.count.already, { count: n(preview.count.already) })}{' '}
              <strong>{toAdd > 0 ? tn('portfolios.filter.will_add', toAdd, { count: n(toAdd) }) : t('portfolios.filter.nothing')}</strong>
            </p>
          )}
          {result && <p class="ok-text">{t('portfolios.contacts.result', { added: n(result.added), removed: n(result.removed) })}</p>}
        </div>
        {preview.state === 'failed' && <ErrorMessage error={preview.error} />}
        {preview.state === 'ready' && (
          <div class="form-actions">
            <button type="button" class="primary" disabled={busy || toAdd === 0} onClick={() => void addFiltered()}>
              {busy ? t('common.working') : tn('portfolios.filter.confirm', toAdd, { count: n(toAdd) })}
            </button>
          </div>
        )}
      </form>
      <ErrorMessage error={error} />

      <section class="portfolio-members-list" aria-labelledby={`${uid}-list`}>
        <h3 id={`${uid}-list`}>{tn('portfolios.contacts.in_portfolio', p.contact_count, { count: n(p.contact_count) })}</h3>
        {list.items.length > 0 && (
          <div class="table-scroll">
            <table class="data-table">
              <thead>
                <tr>
                  <th scope="col">{t('contact.name')}</th>
                  <th scope="col">{t('contact.phone')}</th>
                  <th scope="col">{t('contact.tags')}</th>
                  <th scope="col">{t('portfolios.col.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((c) => (
                  <tr key={c.id}>
                    <td>{contactName(c)}</td>
                    <td class="nowrap">{formatPhone(c.phone)}</td>
                    <td>{c.tags.length > 0 ? c.tags.join(', ') : <span class="muted">—</span>}</td>
                    <td>
                      <button
                        type="button"
                        disabled={busy}
                        aria-label={t('portfolios.contacts.remove_named', { name: contactName(c) })}
                        onClick={() => void change({ remove: [c.id] })}
                      >
                        {t('portfolios.contacts.remove')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <PagedMore list={list} moreLabel={t('portfolios.more')} empty={t('portfolios.contacts.none')} />
      </section>
      <div class="form-actions">
        <button type="button" onClick={props.onClose}>
          {t('common.close')}
        </button>
      </div>
    </Modal>
  );
}
