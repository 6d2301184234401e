import { ApiError } from '../api/error';
import type {
  AgentBoard,
  Conversation,
  ConversationDetail,
  ConversationPage,
  ConversationQuery,
  Message,
  SendRequest,
  SendResult,
} from '../api/types';
import { compareConversations, matchesQuery } from '../state/conversation-list';
import type { LiveEvent } from '../live/events';

/**
 * FakeServer answers GET /v1/conversations the way docs/api.md describes
 * it (filter, sort by last_activity_at then id, keyset cursor = position
 * after the last item), so tests can compare a client list with what a
 * fresh GET shows.
 */
export class FakeServer {
  conversations = new Map<string, Conversation>();
  messages = new Map<string, Message[]>();
  hidden = new Set<string>();
  board = new Map<string, AgentBoard>();
  /** Answers of send(): an error to throw, or undefined to accept. */
  sendFailures: ApiError[] = [];
  requests: string[] = [];
  private seq = 0;

  constructor(readonly me: string) {}

  put(c: Conversation): void {
    this.conversations.set(c.id, c);
  }

  visible(): Conversation[] {
    return [...this.conversations.values()].filter((c) => !this.hidden.has(c.id));
  }

  /** What a fresh GET would list, every page. */
  fullList(query: ConversationQuery): Conversation[] {
    return this.visible()
      .filter((c) => matchesQuery(c, query, this.me))
      .sort(compareConversations(query.sort));
  }

  listConversations = async (query: ConversationQuery, page: { limit?: number; cursor?: string | null } = {}): Promise<ConversationPage> => {
    this.requests.push(`list ${query.view} ${query.status} ${page.cursor ?? '-'}`);
    const all = this.fullList(query);
    const limit = page.limit ?? 25;
    let start = 0;
    if (page.cursor) {
      const [time, id] = JSON.parse(atob(page.cursor)) as [string, string];
      const cmp = compareConversations(query.sort);
      const pivot = { last_activity_at: time, id } as Conversation;
      start = all.findIndex((c) => cmp(c, pivot) > 0);
      if (start < 0) {
        start = all.length;
      }
    }
    const items = all.slice(start, start + limit);
    const last = items[items.length - 1];
    const more = start + limit < all.length;
    const counts = { all: 0, mine: 0, unassigned: 0 };
    for (const view of ['all', 'mine', 'unassigned'] as const) {
      counts[view] = this.fullList({ ...query, view }).length;
    }
    return {
      items,
      next_cursor: more && last ? btoa(JSON.stringify([last.last_activity_at, last.id])) : null,
      counts,
    };
  };

  getConversation = async (id: string): Promise<ConversationDetail> => {
    this.requests.push(`get ${id}`);
    const c = this.conversations.get(id);
    if (!c || this.hidden.has(id)) {
      throw new ApiError(404, { code: 'not_found', message: `no conversation ${id}` });
    }
    return { ...c, messages: this.messages.get(id) ?? [] };
  };

  getAgent = async (id: string): Promise<AgentBoard> => {
    const row = this.board.get(id);
    if (!row) {
      throw new ApiError(404, { code: 'not_found', message: `no agent ${id}` });
    }
    return row;
  };

  listAgents = async (): Promise<AgentBoard[]> => [...this.board.values()];

  send = async (id: string, body: SendRequest): Promise<SendResult> => {
    this.requests.push(`send ${id} ${body.text ?? body.template?.name ?? ''} ${body.idempotency_key ?? ''}`);
    const failure = this.sendFailures.shift();
    if (failure) {
      throw failure;
    }
    const c = this.conversations.get(id)!;
    const m: Message = {
      id: `m${++this.seq}`,
      direction: 'out',
      kind: body.template ? 'template' : 'text',
      text: body.text ?? '',
      at: c.last_activity_at,
      status: 'pending',
    };
    this.messages.set(id, [...(this.messages.get(id) ?? []), m]);
    const updated = { ...c, awaiting_customer: true, last_message: m };
    this.put(updated);
    return { message: m, conversation: updated };
  };

  /** Change a conversation and return the stream event the server would send. */
  change(id: string, over: Partial<Conversation>): LiveEvent {
    const c = { ...this.conversations.get(id)!, ...over };
    this.put(c);
    return this.hidden.has(id) ? { type: 'conversation.removed', data: { id } } : { type: 'conversation.updated', data: c };
  }

  hide(id: string): LiveEvent {
    this.hidden.add(id);
    return { type: 'conversation.removed', data: { id } };
  }

  show(id: string): LiveEvent {
    this.hidden.delete(id);
    return { type: 'conversation.updated', data: this.conversations.get(id)! };
  }
}
