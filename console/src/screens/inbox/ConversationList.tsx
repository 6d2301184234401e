import { useEffect, useState } from 'preact/hooks';
import { navigate } from '../../app/router';
import { ErrorMessage } from '../../components/ErrorMessage';
import { VirtualList } from '../../components/VirtualList';
import { t } from '../../i18n';
import { useStore } from '../../state/context';
import { ConversationRow } from './ConversationRow';

export const ROW_HEIGHT = 84;

/** The conversations of the current query, windowed and paged by keyset. */
export function ConversationList({ openId }: { openId: string | null }) {
  const store = useStore();
  const { items, nextCursor } = store.list.value;
  const load = store.listLoad.value;
  const selecting = store.selecting.value;
  const selection = store.selection.value;
  const [active, setActive] = useState(0);

  // Follow the open conversation, and keep the active row inside the list.
  useEffect(() => {
    const i = openId ? items.findIndex((c) => c.id === openId) : -1;
    if (i >= 0) {
      setActive(i);
    } else if (active >= items.length) {
      setActive(Math.max(0, items.length - 1));
    }
  }, [openId, items]);

  if (items.length === 0) {
    return (
      <div id="inbox-list" class="inbox-empty" role="status">
        {load.loading ? (
          <p>{t('common.loading')}</p>
        ) : load.error ? (
          <>
            <ErrorMessage error={load.error} />
            <button type="button" onClick={() => void store.loadList()}>
              {t('common.retry')}
            </button>
          </>
        ) : (
          <p class="muted">{t('inbox.empty')}</p>
        )}
      </div>
    );
  }

  const open = (id: string) => navigate('conversation', { id });
  const footer = load.loadingMore ? (
    <p class="vlist-footer">{t('inbox.loading_more')}</p>
  ) : load.error ? (
    <div class="vlist-footer">
      <ErrorMessage error={load.error} />
      <button type="button" onClick={() => void store.loadMore()}>
        {t('common.retry')}
      </button>
    </div>
  ) : nextCursor === null ? (
    <p class="vlist-footer muted">{t('inbox.end')}</p>
  ) : null;

  return (
    <div id="inbox-list" class="inbox-list" role="tabpanel" aria-labelledby={`tab-${store.list.value.query.view}`}>
      <VirtualList
        items={items}
        rowHeight={ROW_HEIGHT}
        label={t('inbox.list_label')}
        idPrefix="conv"
        keyOf={(c) => c.id}
        activeIndex={active}
        onActiveChange={setActive}
        multiselectable={selecting}
        onEnter={(c) => (selecting ? store.toggleSelected(c.id) : open(c.id))}
        onSpace={selecting ? (c) => store.toggleSelected(c.id) : undefined}
        onEndReached={() => void store.loadMore()}
        footer={footer}
        renderRow={(c, i, isActive) => (
          <ConversationRow
            conversation={c}
            active={isActive}
            selecting={selecting}
            selected={selecting ? selection.has(c.id) : c.id === openId}
            onClick={() => {
              setActive(i);
              if (selecting) {
                store.toggleSelected(c.id);
              } else {
                open(c.id);
              }
            }}
          />
        )}
      />
    </div>
  );
}
