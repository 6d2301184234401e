import { useEffect, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../../../api/error';
import type { Conversation, Team } from '../../../api/types';
import { href } from '../../../app/router';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { formatCount, formatElapsed } from '../../../i18n/format';
import { t } from '../../../i18n';
import { contactName } from '../../../lib/phone';
import { useStore } from '../../../state/context';
import { agentRow, boardOrder, type AgentRowView } from './board-view';
import './board.css';

interface TeamWaiting {
  team: Team;
  count: number;
  /** The waiting conversations with the oldest last activity first. */
  oldest: Conversation[];
}

const OLDEST_SHOWN = 5;
/** Live changes come in bursts; the waiting lists are read again at most this often. */
const WAITING_REFRESH_MS = 1000;

/**
 * The supervisors' board, live: every agent with status, pause (an
 * overdue one highlighted) and open conversations against capacity; and
 * the conversations waiting in each team, oldest first, each a link to
 * the conversation (where it can be taken, transferred or reassigned).
 */
export function Board() {
  const store = useStore();
  const [error, setError] = useState<ApiError | null>(null);
  const [waiting, setWaiting] = useState<TeamWaiting[] | null>(null);
  const [waitingError, setWaitingError] = useState<ApiError | null>(null);
  const teams = store.config.lists.teams.value.items;
  const pauseTypes = store.config.lists.pauseTypes.value.items ?? [];
  const changes = store.conversationChanges.value;

  useEffect(() => {
    store.boardFollow.value = 'all';
    void store.config.ensure('teams');
    void store.config.ensure('pauseTypes');
    void (async () => {
      try {
        for (const row of await store.deps.api.listAgents()) {
          store.apply({ type: 'agent.updated', data: row });
        }
      } catch (e) {
        setError(toApiError(e));
      }
    })();
    return () => {
      store.boardFollow.value = 'me';
    };
  }, []);

  useEffect(() => {
    if (!teams) {
      return undefined;
    }
    let cancelled = false;
    const load = async () => {
      try {
        const pages = await Promise.all(
          teams.map((team) =>
            store.deps.api.listConversations({ view: 'unassigned', status: 'open', sort: 'oldest', team: team.id }, { limit: OLDEST_SHOWN }),
          ),
        );
        if (!cancelled) {
          setWaiting(teams.map((team, i) => ({ team, count: pages[i]!.counts.unassigned, oldest: pages[i]!.items.filter((c) => c.status === 'waiting') })));
          setWaitingError(null);
        }
      } catch (e) {
        if (!cancelled) {
          setWaitingError(toApiError(e));
        }
      }
    };
    // The first read at once; after a live change, one read for the burst.
    const timer = waiting === null ? (void load(), null) : setTimeout(() => void load(), WAITING_REFRESH_MS);
    return () => {
      cancelled = true;
      if (timer !== null) {
        clearTimeout(timer);
      }
    };
  }, [teams, changes]);

  const rows: AgentRowView[] = Object.values(store.board.value)
    .map((a) => agentRow(a, pauseTypes, teams ?? [], store.now.value))
    .sort(boardOrder);

  return (
    <section class="admin-page board" aria-labelledby="admin-page-title">
      <h1 id="admin-page-title">{t('admin.nav.board')}</h1>

      <h2 id="board-agents">{t('board.agents')}</h2>
      <ErrorMessage error={error} />
      <table class="data-table" aria-labelledby="board-agents">
        <thead>
          <tr>
            <th scope="col">{t('board.agent')}</th>
            <th scope="col">{t('board.status')}</th>
            <th scope="col">{t('board.pause')}</th>
            <th scope="col" class="num">
              {t('board.open')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} class={r.pause?.overdue ? 'overdue' : undefined} id={`board-${r.id}`}>
              <th scope="row">{r.name}</th>
              <td>
                <span class={`presence ${r.online ? 'online' : 'offline'}`}>{t(r.online ? 'menu.online' : 'menu.offline')}</span>
              </td>
              <td>
                {r.pause ? (
                  <>
                    {t('board.paused', { type: r.pause.type, minutes: r.pause.minutes })}
                    {r.pause.max !== null && <span class="muted"> {t('board.pause_max', { max: r.pause.max })}</span>}
                    {r.pause.overdue && <strong class="badge-overdue"> {t('board.overdue')}</strong>}
                  </>
                ) : (
                  <span class="muted">—</span>
                )}
              </td>
              <td class={`num${r.full ? ' full' : ''}`}>
                {r.capacity
                  ? t('board.load', { open: r.open, capacity: r.capacity.min === r.capacity.max ? r.capacity.min : `${r.capacity.min}–${r.capacity.max}` })
                  : r.open}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2 id="board-waiting">{t('board.waiting')}</h2>
      <ErrorMessage error={waitingError} />
      {waiting === null ? (
        <p class="muted">{t('common.loading')}</p>
      ) : (
        <table class="data-table" aria-labelledby="board-waiting">
          <thead>
            <tr>
              <th scope="col">{t('board.team')}</th>
              <th scope="col" class="num">
                {t('board.waiting_count')}
              </th>
              <th scope="col">{t('board.oldest')}</th>
            </tr>
          </thead>
          <tbody>
            {waiting.map((w) => (
              <tr key={w.team.id}>
                <th scope="row">{w.team.name}</th>
                <td class="num">{formatCount(w.count)}</td>
                <td>
                  {w.oldest.length === 0 ? (
                    <span class="muted">—</span>
                  ) : (
                    <ul class="board-oldest">
                      {w.oldest.map((c) => (
                        <li key={c.id}>
                          <a href={href('conversation', { id: c.id })}>{contactName(c.contact)}</a>{' '}
                          <span class="muted">{formatElapsed(c.last_activity_at, store.now.value)}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
