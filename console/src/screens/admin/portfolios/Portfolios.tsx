import { t } from '../../../i18n';

/** Portfolios (carteiras): the table, bulk delete, create and edit, their contacts. */
export function Portfolios() {
  return (
    <section class="admin-page" aria-labelledby="admin-page-title">
      <h1 id="admin-page-title">{t('admin.nav.portfolios')}</h1>
    </section>
  );
}
