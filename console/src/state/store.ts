import { batch, computed, signal, type Signal } from '@preact/signals';
import { toApiError, type ApiError } from '../api/error';
import type { AgentBoard, Conversation, ConversationQuery, NoteMention } from '../api/types';
import type { LiveEvent } from '../live/events';
import type { PollTargets } from '../live/polling-source';
import type { LiveMode, LiveSource } from '../live/source';
import { applyEvent, type DetailEntry, type LiveState } from './apply-event';
import { appendPage, applyCounts, countsScope, DEFAULT_QUERY, emptyList, firstPage, sameQuery, STREAM_COUNTS_SCOPE, type ListState } from './conversation-list';
import { ComposerSlice } from './composer';
import { ConfigSlice } from './config';
import { CommandsSlice } from './commands';
import type { StoreDeps } from './deps';
import { AuthSlice } from './auth';

/**
 * Store is the console's one state: signals that screens read, and the
 * actions that change them. Live changes enter through `apply(event)`,
 * whatever source brought them (see live/source.ts); command replies enter
 * the same way, so there is one path from "something changed" to the
 * screen.
 *
 * Slices group the actions: `auth` (session), `config` (reference lists),
 * `composer` (drafts and sending), `commands` (assign, transfer, finish,
 * bulk, new conversation, availability).
 */

export const PAGE_SIZE = 50;

interface LoadState {
  loading: boolean;
  loadingMore: boolean;
  error: ApiError | null;
}

interface DetailLoad {
  loading: boolean;
  error: ApiError | null;
}

export class Store {
  // ---- live state ------------------------------------------------------
  readonly list = signal<ListState>(emptyList(DEFAULT_QUERY));
  readonly listLoad = signal<LoadState>({ loading: false, loadingMore: false, error: null });
  readonly details = signal<Readonly<Record<string, DetailEntry>>>({});
  readonly detailLoad = signal<Readonly<Record<string, DetailLoad>>>({});
  readonly board = signal<Readonly<Record<string, AgentBoard>>>({});
  readonly mentions = signal<readonly NoteMention[]>([]);
  readonly live = signal<LiveMode>('connecting');
  /** Counts every conversation change that arrives live (screens that summarize lists refresh on it). */
  readonly conversationChanges = signal(0);
  /** Whose board rows to follow: the agent's own, or all (supervisors). */
  readonly boardFollow = signal<'me' | 'all'>('me');

  // ---- screen state ----------------------------------------------------
  readonly openId = signal<string | null>(null);
  readonly selecting = signal(false);
  readonly selection = signal<ReadonlySet<string>>(new Set());
  /** The clock screens count down with; the app ticks it every second. */
  readonly now: Signal<number>;
  /** The clock to the minute, for times that do not need seconds (fewer renders). */
  readonly minute = computed(() => Math.floor(this.now.value / 60_000) * 60_000);

  readonly auth: AuthSlice;
  readonly config: ConfigSlice;
  readonly composer: ComposerSlice;
  readonly commands: CommandsSlice;

  /** The signed-in agent's board row, once known. */
  readonly me = computed<AgentBoard | null>(() => {
    const id = this.auth.session.value?.agent.id;
    return id ? (this.board.value[id] ?? null) : null;
  });

  readonly open = computed<DetailEntry | null>(() => {
    const id = this.openId.value;
    return id ? (this.details.value[id] ?? null) : null;
  });

  private source: LiveSource | null = null;
  private generation = 0;
  /** Events that came while the list's first page was on its way. */
  private queued: LiveEvent[] | null = null;
  private recountTimer: unknown = null;

  constructor(
    readonly deps: StoreDeps,
    private readonly liveSource: (store: Store) => LiveSource,
  ) {
    this.now = signal(deps.now());
    this.config = new ConfigSlice(deps.api);
    this.auth = new AuthSlice(this);
    this.composer = new ComposerSlice(this);
    this.commands = new CommandsSlice(this);
  }

  get meId(): string | null {
    return this.auth.session.value?.agent.id ?? null;
  }

  // ---- lifecycle -------------------------------------------------------

  /** After sign-in (or a restored session): follow changes and load. */
  startSession(): void {
    this.composer.loadDrafts();
    this.stopLive();
    this.source = this.liveSource(this);
    this.source.start({
      onEvent: (e) => this.apply(e),
      onMode: (m) => {
        this.live.value = m;
      },
    });
    void this.loadList();
    void this.loadMe();
  }

  /** Forget everything of the session (sign-out). */
  endSession(): void {
    this.stopLive();
    this.generation++;
    batch(() => {
      this.list.value = emptyList(DEFAULT_QUERY);
      this.listLoad.value = { loading: false, loadingMore: false, error: null };
      this.details.value = {};
      this.detailLoad.value = {};
      this.board.value = {};
      this.mentions.value = [];
      this.openId.value = null;
      this.selecting.value = false;
      this.selection.value = new Set();
      this.composer.reset();
      this.config.clear();
    });
  }

  private stopLive(): void {
    this.source?.stop();
    this.source = null;
    if (this.recountTimer !== null) {
      this.deps.scheduler.clearTimeout(this.recountTimer);
      this.recountTimer = null;
    }
  }

  /** Ask the live source to look now (after a command). */
  poke(): void {
    this.source?.poke();
  }

  /** What polling should look at: what the screens show. */
  pollTargets(): PollTargets {
    const open = this.open.value;
    return {
      query: this.list.value.query,
      loaded: this.list.value.items,
      open: open && !open.gone ? open.conversation : null,
      me: this.meId,
      board: this.boardFollow.value,
      boardRows: this.board.value,
    };
  }

  // ---- live events -----------------------------------------------------

  apply(event: LiveEvent): void {
    if (this.queued && event.type !== 'reset') {
      this.queued.push(event);
    }
    const before: LiveState = { list: this.list.value, details: this.details.value, board: this.board.value, mentions: this.mentions.value };
    const { state, effects } = applyEvent(before, event, this.meId);
    batch(() => {
      if (event.type === 'conversation.updated' || event.type === 'conversation.removed' || event.type === 'reset') {
        this.conversationChanges.value++;
      }
      if (state.list !== before.list) {
        this.list.value = state.list;
        this.pruneSelection(state.list);
      }
      if (state.details !== before.details) {
        this.details.value = state.details;
      }
      if (state.board !== before.board) {
        this.board.value = state.board;
      }
      if (state.mentions !== before.mentions) {
        this.mentions.value = state.mentions;
      }
    });
    for (const effect of effects) {
      if (effect === 'reload') {
        void this.reload();
      } else if (effect === 'recount' && this.live.value === 'stream') {
        this.scheduleRecount();
      }
    }
  }

  /** Apply a command's reply: it is the freshest view of the conversation. */
  applyConversation(c: Conversation): void {
    this.apply({ type: 'conversation.updated', data: c });
  }

  /** `reset`: everything on screen again from the server. */
  async reload(): Promise<void> {
    const open = this.openId.value;
    await Promise.all([this.loadList(), open ? this.loadDetail(open) : Promise.resolve(), this.loadMe()]);
  }

  // ---- the inbox list --------------------------------------------------

  /** Change the list's view, status, sort or filters, and load it. */
  setQuery(change: Partial<ConversationQuery>): void {
    const next = { ...this.list.value.query, ...change };
    for (const key of ['channel', 'tag', 'stage', 'team', 'contact'] as const) {
      if (!next[key]) {
        delete next[key];
      }
    }
    if (sameQuery(next, this.list.value.query)) {
      return;
    }
    const keepCounts = countsScope(next) === countsScope(this.list.value.query);
    this.list.value = { ...emptyList(next), counts: keepCounts ? this.list.value.counts : null };
    this.selection.value = new Set();
    void this.loadList();
  }

  /** The first page of the current query (again). */
  async loadList(): Promise<void> {
    const gen = ++this.generation;
    const query = this.list.value.query;
    this.queued = [];
    this.listLoad.value = { loading: true, loadingMore: false, error: null };
    try {
      const page = await this.deps.api.listConversations(query, { limit: PAGE_SIZE });
      if (gen !== this.generation) {
        return;
      }
      const queued = this.queued ?? [];
      this.queued = null;
      let list = firstPage(query, page, this.meId);
      // Events that came during the GET: those older than it change nothing.
      for (const e of queued) {
        list = applyEvent({ list, details: {}, board: {}, mentions: [] }, e, this.meId).state.list;
      }
      this.list.value = list;
      this.pruneSelection(list);
      this.listLoad.value = { loading: false, loadingMore: false, error: null };
    } catch (e) {
      if (gen === this.generation) {
        this.queued = null;
        this.listLoad.value = { loading: false, loadingMore: false, error: toApiError(e) };
      }
    }
  }

  /** The next page, as the agent scrolls; nothing once the cursor is null. */
  async loadMore(): Promise<void> {
    const list = this.list.value;
    const load = this.listLoad.value;
    if (list.nextCursor === null || load.loading || load.loadingMore) {
      return;
    }
    const gen = this.generation;
    this.listLoad.value = { ...load, loadingMore: true, error: null };
    try {
      const page = await this.deps.api.listConversations(list.query, { limit: PAGE_SIZE, cursor: list.nextCursor });
      if (gen !== this.generation) {
        return;
      }
      this.list.value = appendPage(this.list.value, page, this.meId);
      this.listLoad.value = { ...this.listLoad.value, loadingMore: false };
    } catch (e) {
      if (gen === this.generation) {
        this.listLoad.value = { ...this.listLoad.value, loadingMore: false, error: toApiError(e) };
      }
    }
  }

  private scheduleRecount(): void {
    if (this.recountTimer !== null) {
      return;
    }
    this.recountTimer = this.deps.scheduler.setTimeout(() => {
      this.recountTimer = null;
      void this.recount();
    }, 1000);
  }

  /** Filtered counts, which the stream's `counts` event does not cover. */
  async recount(): Promise<void> {
    const query = this.list.value.query;
    if (countsScope(query) === STREAM_COUNTS_SCOPE) {
      return;
    }
    try {
      const page = await this.deps.api.listConversations(query, { limit: 1 });
      this.list.value = applyCounts(this.list.value, page.counts, countsScope(query));
    } catch {
      // The next change asks again.
    }
  }

  // ---- selection (bulk actions) ----------------------------------------

  setSelecting(on: boolean): void {
    batch(() => {
      this.selecting.value = on;
      if (!on) {
        this.selection.value = new Set();
      }
    });
  }

  toggleSelected(id: string): void {
    const next = new Set(this.selection.value);
    if (next.has(id)) {
      next.delete(id);
    } else {
      next.add(id);
    }
    this.selection.value = next;
  }

  clearSelection(): void {
    this.selection.value = new Set();
  }

  selectAllLoaded(): void {
    this.selection.value = new Set(this.list.value.items.map((c) => c.id));
  }

  private pruneSelection(list: ListState): void {
    const sel = this.selection.value;
    if (sel.size === 0) {
      return;
    }
    const ids = new Set(list.items.map((c) => c.id));
    const kept = [...sel].filter((id) => ids.has(id));
    if (kept.length !== sel.size) {
      this.selection.value = new Set(kept);
    }
  }

  // ---- the open conversation -------------------------------------------

  /**
   * Show a conversation: what is held shows at once, and it is read again
   * (only the open one is followed by polling, so a held one may be old).
   */
  openConversation(id: string | null): void {
    this.openId.value = id;
    if (id) {
      void this.loadDetail(id);
    }
  }

  async loadDetail(id: string): Promise<void> {
    this.detailLoad.value = { ...this.detailLoad.value, [id]: { loading: true, error: null } };
    try {
      const conversation = await this.deps.api.getConversation(id);
      this.details.value = { ...this.details.value, [id]: { conversation, gone: false } };
      this.detailLoad.value = { ...this.detailLoad.value, [id]: { loading: false, error: null } };
    } catch (e) {
      this.detailLoad.value = { ...this.detailLoad.value, [id]: { loading: false, error: toApiError(e) } };
    }
  }

  // ---- the agent -------------------------------------------------------

  async loadMe(): Promise<void> {
    const id = this.meId;
    if (!id) {
      return;
    }
    try {
      const row = await this.deps.api.getAgent(id);
      this.apply({ type: 'agent.updated', data: row });
    } catch {
      // The agent menu shows what it has; polling tries again.
    }
  }
}
