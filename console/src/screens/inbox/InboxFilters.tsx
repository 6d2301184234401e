import { useEffect, useId, useMemo, useState } from 'preact/hooks';
import type { ConversationQuery } from '../../api/types';
import { t } from '../../i18n';
import { useStore } from '../../state/context';

export function activeFilterCount(q: ConversationQuery): number {
  return [q.channel, q.tag, q.stage, q.team].filter(Boolean).length;
}

/** Conexão, Etiquetas, Etapa do negócio, Departamento: exact filters, combined. */
export function InboxFilters() {
  const store = useStore();
  const uid = useId();
  const query = store.list.value.query;
  const channels = store.config.lists.channels.value.items ?? [];
  const teams = store.config.lists.teams.value.items ?? [];
  const [tag, setTag] = useState(query.tag ?? '');
  const [stage, setStage] = useState(query.stage ?? '');

  useEffect(() => {
    setTag(query.tag ?? '');
    setStage(query.stage ?? '');
  }, [query.tag, query.stage]);

  // There is no list of tags or stages in the API: suggest those seen.
  const seen = useMemo(() => {
    const tags = new Set<string>();
    const stages = new Set<string>();
    for (const c of store.list.value.items) {
      c.tags.forEach((x) => tags.add(x));
      if (c.stage) {
        stages.add(c.stage);
      }
    }
    return { tags: [...tags].sort(), stages: [...stages].sort() };
  }, [store.list.value.items]);

  const commitText = (e: Event) => {
    e.preventDefault();
    store.setQuery({ tag: tag.trim(), stage: stage.trim() });
  };

  return (
    <form id="inbox-filters" class="inbox-filters" onSubmit={commitText} aria-label={t('inbox.filters')}>
      <label class="field">
        <span>{t('filter.channel')}</span>
        <select value={query.channel ?? ''} onChange={(e) => store.setQuery({ channel: (e.target as HTMLSelectElement).value })}>
          <option value="">{t('filter.any')}</option>
          {channels.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span>{t('filter.team')}</span>
        <select value={query.team ?? ''} onChange={(e) => store.setQuery({ team: (e.target as HTMLSelectElement).value })}>
          <option value="">{t('filter.any')}</option>
          {teams.map((tm) => (
            <option key={tm.id} value={tm.id}>
              {tm.name}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span>{t('filter.tag')}</span>
        <input list={`${uid}-tags`} value={tag} onInput={(e) => setTag((e.target as HTMLInputElement).value)} onBlur={commitText} />
        <datalist id={`${uid}-tags`}>
          {seen.tags.map((x) => (
            <option key={x} value={x} />
          ))}
        </datalist>
      </label>
      <label class="field">
        <span>{t('filter.stage')}</span>
        <input list={`${uid}-stages`} value={stage} onInput={(e) => setStage((e.target as HTMLInputElement).value)} onBlur={commitText} />
        <datalist id={`${uid}-stages`}>
          {seen.stages.map((x) => (
            <option key={x} value={x} />
          ))}
        </datalist>
      </label>
      <div class="form-actions">
        <button type="submit" class="sr-only">
          {t('filter.apply')}
        </button>
        <button type="button" disabled={activeFilterCount(query) === 0} onClick={() => store.setQuery({ channel: '', tag: '', stage: '', team: '' })}>
          {t('filter.clear')}
        </button>
      </div>
    </form>
  );
}
