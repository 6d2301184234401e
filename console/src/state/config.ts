import { signal, type Signal } from '@preact/signals';
import { toApiError, type ApiError } from '../api/error';
import type { AgentBoard, Channel, PauseType, PortfolioItem, Reason, Team, Template } from '../api/types';
import type { ConsoleApi } from './deps';

// The tenant's reference lists (channels, teams, agents, reasons, pause
// types, templates, portfolios): loaded once, on first use, and again on
// demand. Screens read `config.teams.value.items` and call
// `config.ensure('teams')`.

export interface RefList<T> {
  items: T[] | null;
  loading: boolean;
  error: ApiError | null;
}

/** The item type of each reference list. */
export interface RefLists {
  channels: Channel;
  teams: Team;
  agents: AgentBoard;
  reasons: Reason;
  pauseTypes: PauseType;
  templates: Template;
  portfolios: PortfolioItem;
}

export type RefKind = keyof RefLists;

type Loaders = { [K in RefKind]: () => Promise<Array<RefLists[K]>> };

export class ConfigSlice {
  readonly lists: { [K in RefKind]: Signal<RefList<RefLists[K]>> };
  private readonly loaders: Loaders;
  private readonly inflight = new Map<RefKind, Promise<void>>();

  constructor(api: ConsoleApi) {
    this.loaders = {
      channels: () => api.listChannels(),
      teams: () => api.listTeams(),
      agents: () => api.listAgents(),
      reasons: () => api.listReasons(),
      pauseTypes: () => api.listPauseTypes(),
      templates: () => api.listTemplates(),
      portfolios: () => api.listPortfolios(),
    };
    const empty = () => signal({ items: null, loading: false, error: null });
    this.lists = {
      channels: empty(),
      teams: empty(),
      agents: empty(),
      reasons: empty(),
      pauseTypes: empty(),
      templates: empty(),
      portfolios: empty(),
    };
  }

  /** Load the list unless it is loaded or loading. */
  ensure(kind: RefKind): Promise<void> {
    const current = this.lists[kind].value;
    if (current.items !== null && !current.error) {
      return Promise.resolve();
    }
    return this.reload(kind);
  }

  reload(kind: RefKind): Promise<void> {
    const running = this.inflight.get(kind);
    if (running) {
      return running;
    }
    const sig = this.lists[kind] as Signal<RefList<unknown>>;
    sig.value = { ...sig.value, loading: true, error: null };
    const p = this.loaders[kind]()
      .then((items) => {
        sig.value = { items, loading: false, error: null };
      })
      .catch((e: unknown) => {
        sig.value = { ...sig.value, loading: false, error: toApiError(e) };
      })
      .finally(() => this.inflight.delete(kind));
    this.inflight.set(kind, p);
    return p;
  }

  /** Forget everything (sign-out). */
  clear(): void {
    for (const sig of Object.values(this.lists) as Array<Signal<RefList<unknown>>>) {
      sig.value = { items: null, loading: false, error: null };
    }
  }

  /** The display name of an id of a list, or the id itself. */
  name(kind: 'channels' | 'teams' | 'agents' | 'reasons' | 'pauseTypes' | 'portfolios', id: string | null | undefined): string {
    if (!id) {
      return '';
    }
    const items = this.lists[kind].value.items as Array<{ id: string; name: string }> | null;
    return items?.find((x) => x.id === id)?.name ?? id;
  }
}
