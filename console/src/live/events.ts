import type { AgentBoard, Conversation, Counts, Message, NoteMention } from '../api/types';

/**
 * LiveEvent is one change the store applies, whatever brought it: the SSE
 * stream (GET /v1/stream, CONTRACT.md "Live updates") or polling that
 * diffs GETs into the same events.
 */
export type LiveEvent =
  | { type: 'conversation.updated'; data: Conversation }
  | { type: 'conversation.removed'; data: { id: string } }
  | { type: 'message.created'; data: MessageEventData }
  | { type: 'message.updated'; data: MessageEventData }
  | { type: 'agent.updated'; data: AgentBoard }
  /**
   * The tab counts. From the stream they are under status open without
   * filters; `scope` (a countsScope) says otherwise, as polling does.
   */
  | { type: 'counts'; data: Counts; scope?: string }
  | { type: 'note.mention'; data: NoteMention }
  /** The resume position was too old: reload everything. */
  | { type: 'reset' };

export interface MessageEventData {
  /** The conversation id (the contract leaves open whether an object may come). */
  conversation: string;
  message: Message;
}

export type LiveEventType = LiveEvent['type'];

export const LIVE_EVENT_TYPES: readonly LiveEventType[] = [
  'conversation.updated',
  'conversation.removed',
  'message.created',
  'message.updated',
  'agent.updated',
  'counts',
  'note.mention',
  'reset',
];

/**
 * One SSE event (`event:` and `data:`) as a LiveEvent, or null when it is
 * not one we know or its data is not usable. Never throws.
 */
export function parseStreamEvent(type: string, data: string): LiveEvent | null {
  if (type === 'reset') {
    return { type: 'reset' };
  }
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  if (!json || typeof json !== 'object') {
    return null;
  }
  const o = json as Record<string, unknown>;
  switch (type) {
    case 'conversation.updated':
      return typeof o.id === 'string' ? { type, data: o as unknown as Conversation } : null;
    case 'conversation.removed':
      return typeof o.id === 'string' ? { type, data: { id: o.id } } : null;
    case 'message.created':
    case 'message.updated': {
      const conv = o.conversation;
      const id = typeof conv === 'string' ? conv : conv && typeof conv === 'object' ? (conv as { id?: unknown }).id : null;
      const message = o.message as Message | undefined;
      return typeof id === 'string' && message && typeof message.id === 'string' ? { type, data: { conversation: id, message } } : null;
    }
    case 'agent.updated':
      return typeof o.id === 'string' ? { type, data: o as unknown as AgentBoard } : null;
    case 'counts':
      return typeof o.all === 'number' ? { type, data: o as unknown as Counts } : null;
    case 'note.mention':
      return { type, data: o as unknown as NoteMention };
    default:
      return null;
  }
}
