import { t } from '../../../i18n';

/** Contacts: search, edit, and the CSV import with its per-line report. */
export function Contacts() {
  return (
    <section class="admin-page" aria-labelledby="admin-page-title">
      <h1 id="admin-page-title">{t('admin.nav.contacts')}</h1>
    </section>
  );
}
