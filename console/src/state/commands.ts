import type {
  AgentBoard,
  AgentStatus,
  BulkRequest,
  BulkResult,
  Contact,
  ContactHistoryItem,
  ContactsChanged,
  Conversation,
  FinishRequest,
  Page,
  StartRequest,
  TimelineItem,
  TransferRequest,
} from '../api/types';
import type { Store } from './store';

/**
 * CommandsSlice: the agent's actions on conversations and on itself. Each
 * returns the API's reply or throws its ApiError, which the screen shows;
 * a reply that changes a conversation is applied to the store at once.
 */
export class CommandsSlice {
  constructor(private readonly store: Store) {}

  private get api() {
    return this.store.deps.api;
  }

  private took(c: Conversation): Conversation {
    this.store.applyConversation(c);
    this.store.poke();
    return c;
  }

  async assign(id: string, agent?: string): Promise<Conversation> {
    return this.took(await this.api.assign(id, agent));
  }

  async transfer(id: string, body: TransferRequest): Promise<Conversation> {
    return this.took(await this.api.transfer(id, body));
  }

  async finish(id: string, body: FinishRequest): Promise<Conversation> {
    return this.took(await this.api.finish(id, body));
  }

  /** React to a message (empty emoji: remove); the message and the conversation are applied at once. */
  async react(id: string, messageId: string, emoji: string): Promise<void> {
    const r = await this.api.react(id, messageId, emoji);
    this.store.apply({ type: 'message.updated', data: { conversation: id, message: r.message } });
    this.took(r.conversation);
  }

  contact(id: string): Promise<Contact> {
    return this.api.getContact(id);
  }

  contactHistory(id: string, cursor: string | null): Promise<Page<ContactHistoryItem>> {
    return this.api.contactHistory(id, cursor);
  }

  addToPortfolio(id: string, portfolio: string): Promise<ContactsChanged> {
    return this.api.addToPortfolio(id, portfolio);
  }

  /** One action on the selection; the list is read again after it. */
  async bulk(body: BulkRequest): Promise<BulkResult> {
    const result = await this.api.bulk(body);
    void this.store.loadList();
    for (const r of result.results) {
      if (r.ok && this.store.details.value[r.id]) {
        void this.store.loadDetail(r.id);
      }
    }
    return result;
  }

  async startConversation(body: StartRequest): Promise<Conversation> {
    return this.took(await this.api.startConversation(body));
  }

  timeline(id: string, cursor: string | null): Promise<Page<TimelineItem>> {
    return this.api.timeline(id, cursor);
  }

  private mine(row: AgentBoard): AgentBoard {
    this.store.apply({ type: 'agent.updated', data: row });
    return row;
  }

  async setStatus(status: AgentStatus): Promise<AgentBoard> {
    return this.mine(await this.api.setStatus(status));
  }

  async startPause(type: string): Promise<AgentBoard> {
    return this.mine(await this.api.startPause(type));
  }

  async endPause(): Promise<AgentBoard> {
    return this.mine(await this.api.endPause());
  }
}
