import { useEffect, useMemo, useState } from 'preact/hooks';
import { searchContacts } from '../../../api/portfolios';
import type { Contact } from '../../../api/types';
import { usePaged } from '../../../components/use-paged';
import { t } from '../../../i18n';
import { contactName, formatPhone } from '../../../lib/phone';
import { useStore } from '../../../state/context';
import { ContactEditor } from './ContactEditor';
import { ImportContacts } from './ImportContacts';
import { TEMPLATE_FILENAME, templateBlob } from './csv';
import '../portfolios/portfolios.css';
import './contacts.css';
import { PagedMore } from '../../../components/PagedMore';

/** Contacts: search by number or name, edit, and the CSV import with its per-line report. */
export function Contacts() {
  const store = useStore();
  const api = store.deps.api;
  const [text, setText] = useState('');
  const [search, setSearch] = useState({ text: '', n: 0 });
  const list = usePaged((cursor) => searchContacts(api, search.text, cursor), `${search.n}:${search.text}`);
  // Contacts saved here since the list was read: shown as saved without reading the list again.
  const [saved, setSaved] = useState<Readonly<Record<string, Contact>>>({});
  const [editing, setEditing] = useState<Contact | null>(null);
  const [importing, setImporting] = useState(false);
  const template = useMemo(() => URL.createObjectURL(templateBlob()), []);

  useEffect(() => {
    void store.config.ensure('portfolios');
    return () => URL.revokeObjectURL(template);
  }, []);

  const run = (e: Event) => {
    e.preventDefault();
    setSaved({});
    setSearch((s) => ({ text: text.trim(), n: s.n + 1 }));
  };
  const joined = (values: readonly string[]) => (values.length > 0 ? values.join(', ') : <span class="muted">—</span>);

  return (
    <section class="admin-page contacts-page" aria-labelledby="admin-page-title">
      <h1 id="admin-page-title">{t('admin.nav.contacts')}</h1>
      <div class="admin-toolbar">
        <form role="search" class="contact-search" onSubmit={run}>
          <label class="field">
            <span>{t('contacts.search')}</span>
            <input type="search" value={text} placeholder={t('contacts.search_placeholder')} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit">{t('contacts.search_button')}</button>
        </form>
        <span class="toolbar-gap" />
        <button type="button" class="primary" onClick={() => setImporting(true)}>
          {t('contacts.import')}
        </button>
        <a class="button" href={template} download={TEMPLATE_FILENAME}>
          {t('contacts.template')}
        </a>
      </div>

      {list.items.length > 0 && (
        <div class="table-scroll">
          <table class="data-table contacts-table">
            <caption class="sr-only">{search.text ? t('contacts.results_for', { text: search.text }) : t('admin.nav.contacts')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('contact.name')}</th>
                <th scope="col">{t('contact.phone')}</th>
                <th scope="col">{t('contact.tags')}</th>
                <th scope="col">{t('contact.stage')}</th>
                <th scope="col">{t('contact.departments')}</th>
                <th scope="col">{t('contact.portfolios')}</th>
                <th scope="col">{t('portfolios.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((item) => {
                const c = saved[item.id] ?? item;
                return (
                  <tr key={c.id}>
                    <th scope="row">{contactName(c)}</th>
                    <td class="nowrap" data-label={t('contact.phone')}>
                      {formatPhone(c.phone)}
                    </td>
                    <td data-label={t('contact.tags')}>{joined(c.tags)}</td>
                    <td data-label={t('contact.stage')}>{c.stage ?? <span class="muted">—</span>}</td>
                    <td data-label={t('contact.departments')}>{joined(c.departments)}</td>
                    <td data-label={t('contact.portfolios')}>{joined(c.portfolios.map((p) => store.config.name('portfolios', p)))}</td>
                    <td class="contact-actions">
                      <button type="button" aria-label={t('contacts.edit_named', { name: contactName(c) })} onClick={() => setEditing(c)}>
                        {t('contacts.edit')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <PagedMore list={list} moreLabel={t('portfolios.more')} empty={search.text ? t('contacts.none_found') : t('contacts.none')} />

      {editing && (
        <ContactEditor
          contact={editing}
          onSaved={(c) => {
            setSaved((s) => ({ ...s, [c.id]: c }));
            setEditing(null);
            void store.config.reload('portfolios');
          }}
          onClose={() => setEditing(null)}
        />
      )}
      {importing && (
        <ImportContacts
          onImported={() => {
            setSaved({});
            setSearch((s) => ({ ...s, n: s.n + 1 }));
            void store.config.reload('portfolios');
          }}
          onClose={() => setImporting(false)}
        />
      )}
    </section>
  );
}
