import { formatCount } from '../../i18n/format';
import type { ListView } from '../../api/types';
import { t, type MessageKey } from '../../i18n';
import { useStore } from '../../state/context';

const TABS: ReadonlyArray<{ view: ListView; label: MessageKey }> = [
  { view: 'all', label: 'inbox.tab.all' },
  { view: 'mine', label: 'inbox.tab.mine' },
  { view: 'unassigned', label: 'inbox.tab.unassigned' },
];

/** Todos / Meus / Sem Atendente, with the counts of the list's reply. */
export function InboxTabs() {
  const store = useStore();
  const { query, counts } = store.list.value;

  const onKeyDown = (e: KeyboardEvent) => {
    const i = TABS.findIndex((x) => x.view === query.view);
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : null;
    if (next === null) {
      return;
    }
    e.preventDefault();
    const tab = TABS[(next + TABS.length) % TABS.length]!;
    store.setQuery({ view: tab.view });
    const el = (e.currentTarget as HTMLElement).querySelector<HTMLElement>(`[data-view="${tab.view}"]`);
    el?.focus();
  };

  return (
    <div class="tabs" role="tablist" aria-label={t('inbox.tabs')} onKeyDown={onKeyDown}>
      {TABS.map((tab) => {
        const selected = query.view === tab.view;
        const n = counts?.[tab.view];
        return (
          <button
            key={tab.view}
            type="button"
            role="tab"
            data-view={tab.view}
            id={`tab-${tab.view}`}
            aria-selected={selected}
            aria-controls="inbox-list"
            tabIndex={selected ? 0 : -1}
            class={selected ? 'tab selected' : 'tab'}
            onClick={() => store.setQuery({ view: tab.view })}
          >
            {t(tab.label)}
            <span class="count" aria-label={n === undefined ? undefined : t('inbox.count', { n: formatCount(n) })}>
              {n === undefined ? '–' : formatCount(n)}
            </span>
          </button>
        );
      })}
    </div>
  );
}
