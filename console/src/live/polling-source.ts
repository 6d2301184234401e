import type { ApiClient } from '../api/client';
import { MAX_LIMIT } from '../api/client';
import { isApiError } from '../api/error';
import type { AgentBoard, Conversation, ConversationDetail, ConversationQuery, Message } from '../api/types';
import { compareConversations, countsScope, sameQuery } from '../state/conversation-list';
import type { LiveEvent } from './events';
import { realScheduler, type LiveHandlers, type LiveMode, type LiveSource, type Scheduler } from './source';

/**
 * PollingSource stands in for the SSE stream until the server has it: every
 * few seconds it GETs what the screens show and reports the differences as
 * the stream's own events (conversation.updated/removed, message.created/
 * updated, agent.updated, counts), so the store has one way to change.
 */
export type PollingApi = Pick<ApiClient, 'listConversations' | 'getConversation' | 'getAgent' | 'listAgents'>;

/** What the store shows now, asked before every poll. */
export interface PollTargets {
  /** The inbox list's query, or null when no list is on screen. */
  query: ConversationQuery | null;
  /** The list as the store holds it. */
  loaded: readonly Conversation[];
  /** The conversation on screen, as the store holds it. */
  open: ConversationDetail | null;
  me: string | null;
  /** Whose board rows to follow. */
  board: 'me' | 'all' | 'none';
  boardRows: Readonly<Record<string, AgentBoard>>;
}

export interface PollingOptions {
  intervalMs?: number;
  scheduler?: Scheduler;
  /** At most this many vanished conversations are looked up per poll. */
  maxLookups?: number;
}

export class PollingSource implements LiveSource {
  private handlers: LiveHandlers | null = null;
  private timer: unknown = null;
  private running = false;
  private mode: LiveMode | null = null;
  private readonly intervalMs: number;
  private readonly scheduler: Scheduler;
  private readonly maxLookups: number;

  constructor(
    private readonly api: PollingApi,
    private readonly targets: () => PollTargets,
    options: PollingOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 5000;
    this.scheduler = options.scheduler ?? realScheduler;
    this.maxLookups = options.maxLookups ?? 20;
  }

  start(handlers: LiveHandlers): void {
    this.handlers = handlers;
    this.setMode('polling');
    this.schedule(this.intervalMs);
  }

  stop(): void {
    this.handlers = null;
    if (this.timer !== null) {
      this.scheduler.clearTimeout(this.timer);
      this.timer = null;
    }
  }

  poke(): void {
    if (this.handlers && !this.running) {
      this.schedule(0);
    }
  }

  private schedule(ms: number): void {
    if (this.timer !== null) {
      this.scheduler.clearTimeout(this.timer);
    }
    this.timer = this.scheduler.setTimeout(() => {
      this.timer = null;
      void this.pollOnce().finally(() => {
        if (this.handlers) {
          this.schedule(this.intervalMs);
        }
      });
    }, ms);
  }

  private setMode(mode: LiveMode): void {
    if (mode !== this.mode) {
      this.mode = mode;
      this.handlers?.onMode(mode);
    }
  }

  private emit(event: LiveEvent): void {
    this.handlers?.onEvent(event);
  }

  /** One round of GETs and the events they imply. Public for tests. */
  async pollOnce(): Promise<void> {
    if (this.running) {
      return;
    }
    this.running = true;
    try {
      const t = this.targets();
      if (t.query) {
        await this.pollList(t.query, t.loaded);
      }
      if (t.open) {
        await this.pollConversation(t.open);
      }
      await this.pollBoard(t);
      this.setMode('polling');
    } catch (e) {
      if (isApiError(e) && e.isNetwork) {
        this.setMode('offline');
      }
      // Other errors: the screens' own requests show them; try again later.
    } finally {
      this.running = false;
    }
  }

  private async pollList(query: ConversationQuery, loaded: readonly Conversation[]): Promise<void> {
    const limit = Math.min(MAX_LIMIT, Math.max(25, loaded.length));
    const page = await this.api.listConversations(query, { limit });
    const current = this.targets().query;
    if (!current || !sameQuery(current, query)) {
      return; // the agent changed the list meanwhile
    }
    const held = new Map(loaded.map((c) => [c.id, c]));
    const seen = new Set<string>();
    for (const c of page.items) {
      seen.add(c.id);
      const h = held.get(c.id);
      if (!h || JSON.stringify(h) !== JSON.stringify(c)) {
        this.emit({ type: 'conversation.updated', data: c });
      }
    }
    // Held items inside the window the page covers but missing from it
    // left the list, or the caller's sight: ask each one.
    const last = page.items[page.items.length - 1];
    const cmp = compareConversations(query.sort);
    const vanished = loaded.filter((c) => !seen.has(c.id) && (page.next_cursor === null || !last || cmp(c, last) <= 0));
    for (const c of vanished.slice(0, this.maxLookups)) {
      await this.lookUp(c.id);
    }
    this.emit({ type: 'counts', data: page.counts, scope: countsScope(query) });
  }

  private async lookUp(id: string): Promise<ConversationDetail | null> {
    try {
      const detail = await this.api.getConversation(id);
      this.emit({ type: 'conversation.updated', data: withoutMessages(detail) });
      return detail;
    } catch (e) {
      if (isApiError(e) && e.status === 404) {
        this.emit({ type: 'conversation.removed', data: { id } });
        return null;
      }
      throw e;
    }
  }

  private async pollConversation(open: ConversationDetail): Promise<void> {
    let detail: ConversationDetail;
    try {
      detail = await this.api.getConversation(open.id);
    } catch (e) {
      if (isApiError(e) && e.status === 404) {
        this.emit({ type: 'conversation.removed', data: { id: open.id } });
        return;
      }
      throw e;
    }
    if (JSON.stringify(withoutMessages(open)) !== JSON.stringify(withoutMessages(detail))) {
      this.emit({ type: 'conversation.updated', data: withoutMessages(detail) });
    }
    const held = new Map<string, Message>(open.messages.map((m) => [m.id, m]));
    for (const m of detail.messages) {
      const h = held.get(m.id);
      if (!h) {
        this.emit({ type: 'message.created', data: { conversation: open.id, message: m } });
      } else if (JSON.stringify(h) !== JSON.stringify(m)) {
        this.emit({ type: 'message.updated', data: { conversation: open.id, message: m } });
      }
    }
  }

  private async pollBoard(t: PollTargets): Promise<void> {
    let rows: AgentBoard[] = [];
    if (t.board === 'me' && t.me) {
      rows = [await this.api.getAgent(t.me)];
    } else if (t.board === 'all') {
      rows = await this.api.listAgents();
    }
    for (const row of rows) {
      const h = t.boardRows[row.id];
      if (!h || JSON.stringify(h) !== JSON.stringify(row)) {
        this.emit({ type: 'agent.updated', data: row });
      }
    }
  }
}

export function withoutMessages(detail: ConversationDetail | Conversation): Conversation {
  const { messages: _drop, ...rest } = detail as ConversationDetail;
  return rest;
}
