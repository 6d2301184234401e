import { useEffect, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../../../api/error';
import { listPortfolios, type Portfolio } from '../../../api/portfolios';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { t, tn } from '../../../i18n';
import { useStore } from '../../../state/context';
import { DeletePortfolios } from './DeletePortfolios';
import { PortfolioContacts } from './PortfolioContacts';
import { PortfolioEditor } from './PortfolioEditor';
import { PortfolioRow } from './PortfolioRow';
import './portfolios.css';

type Dialog = { kind: 'create' } | { kind: 'edit'; id: string } | { kind: 'contacts'; id: string } | { kind: 'delete' } | null;

/**
 * Portfolios (carteiras, "Grupos de Contatos"): the table with each
 * portfolio's owners, contacts and hours; create and edit, bulk delete of
 * the selected, and each portfolio's contacts.
 */
export function Portfolios() {
  const store = useStore();
  const api = store.deps.api;
  const [items, setItems] = useState<Portfolio[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [dialog, setDialog] = useState<Dialog>(null);

  const load = async () => {
    setError(null);
    try {
      const list = await listPortfolios(api);
      setItems(list);
      setSelected((prev) => new Set([...prev].filter((id) => list.some((p) => p.id === id))));
    } catch (e) {
      setError(toApiError(e));
    }
  };

  /** After any change: the table, and the console's reference list of portfolios. */
  const changed = async () => {
    await Promise.all([load(), store.config.reload('portfolios')]);
  };

  useEffect(() => {
    void load();
    void store.config.ensure('agents');
  }, []);

  const list = items ?? [];
  const allSelected = list.length > 0 && list.every((p) => selected.has(p.id));
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) {
      next.add(id);
    } else {
      next.delete(id);
    }
    setSelected(next);
  };
  const find = (id: string) => list.find((p) => p.id === id);
  const open = dialog && 'id' in dialog ? find(dialog.id) : undefined;

  return (
    <section class="admin-page portfolios-page" aria-labelledby="admin-page-title">
      <h1 id="admin-page-title">{t('admin.nav.portfolios')}</h1>
      <p class="muted page-lead">{t('portfolios.lead')}</p>
      <div class="admin-toolbar">
        <button type="button" class="primary" onClick={() => setDialog({ kind: 'create' })}>
          {t('portfolios.new')}
        </button>
        <span class="toolbar-gap" />
        <span class="muted" aria-live="polite">
          {selected.size > 0 ? tn('portfolios.selected', selected.size) : ''}
        </span>
        <button type="button" disabled={selected.size === 0} onClick={() => setDialog({ kind: 'delete' })}>
          {t('portfolios.delete_selected')}
        </button>
      </div>

      <ErrorMessage error={error} />
      {items === null && !error && <p class="muted">{t('common.loading')}</p>}
      {error && (
        <button type="button" onClick={() => void load()}>
          {t('common.retry')}
        </button>
      )}
      {items !== null && items.length === 0 && <p class="muted">{t('portfolios.empty')}</p>}
      {list.length > 0 && (
        <div class="table-scroll">
          <table class="data-table portfolios-table">
            <caption class="sr-only">{t('admin.nav.portfolios')}</caption>
            <thead>
              <tr>
                <th scope="col" class="check-col">
                  <label class="check-cell">
                    <input
                      type="checkbox"
                      checked={allSelected}
                      onChange={(e) => setSelected(new Set((e.target as HTMLInputElement).checked ? list.map((p) => p.id) : []))}
                    />
                    <span class="sr-only">{t('portfolios.select_all')}</span>
                  </label>
                </th>
                <th scope="col">{t('portfolios.col.name')}</th>
                <th scope="col">{t('portfolios.col.code')}</th>
                <th scope="col">{t('portfolios.col.responsible')}</th>
                <th scope="col">{t('portfolios.col.members')}</th>
                <th scope="col">{t('portfolios.col.contacts')}</th>
                <th scope="col">{t('portfolios.col.hours')}</th>
                <th scope="col">{t('portfolios.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((p) => (
                <PortfolioRow
                  key={p.id}
                  portfolio={p}
                  selected={selected.has(p.id)}
                  onSelect={(on) => toggle(p.id, on)}
                  onEdit={() => setDialog({ kind: 'edit', id: p.id })}
                  onContacts={() => setDialog({ kind: 'contacts', id: p.id })}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}

      {(dialog?.kind === 'create' || (dialog?.kind === 'edit' && open)) && (
        <PortfolioEditor
          portfolio={dialog.kind === 'edit' ? open! : null}
          onSaved={() => {
            setDialog(null);
            void changed();
          }}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'contacts' && open && <PortfolioContacts portfolio={open} onChanged={changed} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'delete' && (
        <DeletePortfolios
          portfolios={list.filter((p) => selected.has(p.id))}
          onDeleted={(ids) => {
            setSelected((prev) => new Set([...prev].filter((id) => !ids.includes(id))));
            void changed();
          }}
          onClose={() => setDialog(null)}
        />
      )}
    </section>
  );
}
