import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n';
import { useStore } from '../../state/context';
import type { BulkItemResult } from '../../api/types';
import { BulkBar, BulkResults } from './BulkBar';
import { ConversationList } from './ConversationList';
import { InboxFilters, activeFilterCount } from './InboxFilters';
import { InboxTabs } from './InboxTabs';
import { InboxToolbar } from './InboxToolbar';
import './inbox.css';

/**
 * The inbox (Multiatendimento): tabs Todos / Meus / Sem Atendente with
 * their counts, the five status lists, sort, combinable filters, a
 * virtualized list paged by keyset as the agent scrolls, and a selection
 * mode for bulk actions.
 */
export function Inbox({ openId }: { openId: string | null }) {
  const store = useStore();
  const [filtersOpen, setFiltersOpen] = useState(false);
  const [results, setResults] = useState<{ items: BulkItemResult[]; names: ReadonlyMap<string, string> } | null>(null);
  const query = store.list.value.query;

  useEffect(() => {
    void store.config.ensure('channels');
    void store.config.ensure('teams');
    void store.config.ensure('agents');
  }, []);

  return (
    <section class="inbox" aria-labelledby="inbox-title">
      <h1 id="inbox-title" class="sr-only">
        {t('inbox.title')}
      </h1>
      <InboxTabs />
      <InboxToolbar filtersOpen={filtersOpen} filterCount={activeFilterCount(query)} onToggleFilters={() => setFiltersOpen(!filtersOpen)} />
      {filtersOpen && <InboxFilters />}
      {store.selecting.value && <BulkBar onResults={(items, names) => setResults({ items, names })} />}
      {results && <BulkResults results={results.items} names={results.names} onClose={() => setResults(null)} />}
      <ConversationList openId={openId} />
    </section>
  );
}
