import type { AgentBoard, ConversationDetail, Message, NoteMention } from '../api/types';
import type { LiveEvent } from '../live/events';
import { applyCounts, countsScope, removeConversation, STREAM_COUNTS_SCOPE, upsertConversation, type ListState } from './conversation-list';

// applyEvent is the store's reducer for live events: pure, so that "the
// stream applied to a GET shows what a fresh GET shows" is tested without
// a browser. The store keeps each part in its own signal and writes back
// only the parts whose reference changed.

export interface DetailEntry {
  conversation: ConversationDetail;
  /** conversation.removed: the caller may no longer see it. */
  gone: boolean;
}

export interface LiveState {
  list: ListState;
  details: Readonly<Record<string, DetailEntry>>;
  board: Readonly<Record<string, AgentBoard>>;
  mentions: readonly NoteMention[];
}

/** What the store must do beyond the new state. */
export type Effect =
  /** `reset`: reload list, open conversations and board. */
  | 'reload'
  /** The list's counts are filtered and the stream's do not apply: ask again. */
  | 'recount';

export interface Applied {
  state: LiveState;
  effects: Effect[];
}

export const MAX_MENTIONS = 50;

export function applyEvent(state: LiveState, event: LiveEvent, me: string | null): Applied {
  switch (event.type) {
    case 'conversation.updated': {
      const c = event.data;
      const list = upsertConversation(state.list, c, me);
      let details = state.details;
      const held = details[c.id];
      if (held && Date.parse(c.last_activity_at) >= Date.parse(held.conversation.last_activity_at)) {
        details = { ...details, [c.id]: { conversation: { ...held.conversation, ...c, messages: held.conversation.messages }, gone: false } };
      }
      return { state: { ...state, list, details }, effects: recountIfFiltered(state.list) };
    }
    case 'conversation.removed': {
      const id = event.data.id;
      const list = removeConversation(state.list, id);
      const held = state.details[id];
      const details = held ? { ...state.details, [id]: { ...held, gone: true } } : state.details;
      return { state: { ...state, list, details }, effects: recountIfFiltered(state.list) };
    }
    case 'message.created':
    case 'message.updated': {
      const held = state.details[event.data.conversation];
      if (!held) {
        return { state, effects: [] };
      }
      const messages = upsertMessage(held.conversation.messages, event.data.message);
      const details = { ...state.details, [event.data.conversation]: { ...held, conversation: { ...held.conversation, messages } } };
      return { state: { ...state, details }, effects: [] };
    }
    case 'agent.updated':
      return { state: { ...state, board: { ...state.board, [event.data.id]: event.data } }, effects: [] };
    case 'counts':
      return { state: { ...state, list: applyCounts(state.list, event.data, event.scope ?? STREAM_COUNTS_SCOPE) }, effects: [] };
    case 'note.mention':
      return { state: { ...state, mentions: [event.data, ...state.mentions].slice(0, MAX_MENTIONS) }, effects: [] };
    case 'reset':
      return { state, effects: ['reload'] };
  }
}

function recountIfFiltered(list: ListState): Effect[] {
  return countsScope(list.query) === STREAM_COUNTS_SCOPE ? [] : ['recount'];
}

/** Messages stay oldest first; a known id is replaced in place. */
export function upsertMessage(messages: readonly Message[], m: Message): Message[] {
  const index = messages.findIndex((x) => x.id === m.id);
  if (index >= 0) {
    const next = messages.slice();
    next[index] = m;
    return next;
  }
  const at = Date.parse(m.at);
  let pos = messages.length;
  while (pos > 0 && Date.parse(messages[pos - 1]!.at) > at) {
    pos--;
  }
  return [...messages.slice(0, pos), m, ...messages.slice(pos)];
}
