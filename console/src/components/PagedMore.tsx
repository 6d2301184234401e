import { t } from '../i18n';
import { ErrorMessage } from './ErrorMessage';
import type { Paged } from './use-paged';

/**
 * Under a paged list: its error, "loading", the button for the next page
 * (Tentar de novo after a failure), or `empty` when every page was read
 * and there was nothing.
 */
export function PagedMore({ list, moreLabel, empty }: { list: Paged<unknown>; moreLabel: string; empty: string }) {
  return (
    <>
      <ErrorMessage error={list.error} />
      {list.busy ? (
        <p class="muted">{t('common.loading')}</p>
      ) : (
        !list.done && (
          <button type="button" onClick={list.more}>
            {list.error ? t('common.retry') : moreLabel}
          </button>
        )
      )}
      {list.done && list.items.length === 0 && <p class="muted">{empty}</p>}
    </>
  );
}
