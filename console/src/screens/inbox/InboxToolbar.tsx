import { useId } from 'preact/hooks';
import type { ListStatus, SortOrder } from '../../api/types';
import { t, type MessageKey } from '../../i18n';
import { useStore } from '../../state/context';

export const STATUS_LABELS: ReadonlyArray<{ status: ListStatus; label: MessageKey }> = [
  { status: 'open', label: 'inbox.status.open' },
  { status: 'awaiting_customer', label: 'inbox.status.awaiting_customer' },
  { status: 'send_failed', label: 'inbox.status.send_failed' },
  { status: 'finished', label: 'inbox.status.finished' },
  { status: 'automation', label: 'inbox.status.automation' },
];

/** Status list, sort, the filters toggle and the selection mode. */
export function InboxToolbar(props: { filtersOpen: boolean; filterCount: number; onToggleFilters: () => void }) {
  const store = useStore();
  const uid = useId();
  const query = store.list.value.query;
  const selecting = store.selecting.value;

  return (
    <div class="inbox-toolbar">
      <label class="inline-field" for={`${uid}-status`}>
        <span class="sr-only">{t('inbox.status')}</span>
        <select id={`${uid}-status`} value={query.status} onChange={(e) => store.setQuery({ status: (e.target as HTMLSelectElement).value as ListStatus })}>
          {STATUS_LABELS.map((s) => (
            <option key={s.status} value={s.status}>
              {t(s.label)}
            </option>
          ))}
        </select>
      </label>
      <label class="inline-field" for={`${uid}-sort`}>
        <span class="sr-only">{t('inbox.sort')}</span>
        <select id={`${uid}-sort`} value={query.sort} onChange={(e) => store.setQuery({ sort: (e.target as HTMLSelectElement).value as SortOrder })}>
          <option value="recent">{t('inbox.sort.recent')}</option>
          <option value="oldest">{t('inbox.sort.oldest')}</option>
        </select>
      </label>
      <button type="button" aria-expanded={props.filtersOpen} aria-controls="inbox-filters" onClick={props.onToggleFilters}>
        {t('inbox.filters')}
        {props.filterCount > 0 && <span class="badge">{props.filterCount}</span>}
      </button>
      <button type="button" aria-pressed={selecting} onClick={() => store.setSelecting(!selecting)}>
        {selecting ? t('inbox.select_done') : t('inbox.select')}
      </button>
    </div>
  );
}
