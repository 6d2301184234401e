import { t } from '../../../i18n';

/** The supervisors' board, live: every agent, and the waiting conversations per team. */
export function Board() {
  return (
    <section class="admin-page" aria-labelledby="admin-page-title">
      <h1 id="admin-page-title">{t('admin.nav.board')}</h1>
    </section>
  );
}
