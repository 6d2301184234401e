import type { Conversation, ConversationPage, ConversationQuery, Counts, SortOrder } from '../api/types';

// The inbox list as pure data, and the rules that keep it equal to what a
// fresh GET /v1/conversations would return while pages are appended and
// live events arrive:
//
//  - an item is in the list iff it matches the query (view, status,
//    filters) for the calling agent;
//  - items are ordered by last_activity_at (sort=recent newest first,
//    sort=oldest oldest first), then by id;
//  - only the loaded window is held: while more pages exist, an item that
//    sorts after the last loaded one belongs to a later page and is left
//    out, to come with that page (keyed by id, never twice).

export interface ListState {
  query: ConversationQuery;
  items: Conversation[];
  /** null: every page is loaded. */
  nextCursor: string | null;
  counts: Counts | null;
}

export const DEFAULT_QUERY: ConversationQuery = { view: 'all', status: 'open', sort: 'recent' };

export function emptyList(query: ConversationQuery): ListState {
  return { query, items: [], nextCursor: null, counts: null };
}

/** The list after its first page. */
export function firstPage(query: ConversationQuery, page: ConversationPage, me: string | null): ListState {
  return appendPage({ query, items: [], nextCursor: null, counts: null }, page, me);
}

export function matchesStatus(c: Conversation, status: ConversationQuery['status']): boolean {
  switch (status) {
    case 'open':
      return c.status === 'waiting' || c.status === 'open';
    case 'awaiting_customer':
      return c.status === 'open' && c.awaiting_customer;
    case 'send_failed':
      return c.status !== 'finished' && c.send_failed;
    case 'finished':
      return c.status === 'finished';
    case 'automation':
      return c.status !== 'finished' && c.automation;
  }
}

export function matchesView(c: Conversation, view: ConversationQuery['view'], me: string | null): boolean {
  switch (view) {
    case 'all':
      // The server sends only what the caller may see.
      return true;
    case 'mine':
      return me !== null && c.assignee === me;
    case 'unassigned':
      return c.status === 'waiting';
  }
}

export function matchesFilters(c: Conversation, q: ConversationQuery): boolean {
  return (
    (!q.channel || c.channel === q.channel) &&
    (!q.team || c.team === q.team) &&
    (!q.tag || c.tags.includes(q.tag)) &&
    (!q.stage || c.stage === q.stage) &&
    (!q.contact || c.contact.id === q.contact)
  );
}

export function matchesQuery(c: Conversation, q: ConversationQuery, me: string | null): boolean {
  return matchesStatus(c, q.status) && matchesView(c, q.view, me) && matchesFilters(c, q);
}

function activity(c: Conversation): number {
  return Date.parse(c.last_activity_at);
}

export function compareConversations(sort: SortOrder): (a: Conversation, b: Conversation) => number {
  const dir = sort === 'recent' ? -1 : 1;
  return (a, b) => {
    const d = activity(a) - activity(b);
    if (d !== 0) {
      return dir * d;
    }
    return dir * (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  };
}

/** An event older than what we hold (a GET overtook it) changes nothing. */
function isStale(incoming: Conversation, held: Conversation | undefined): boolean {
  return held !== undefined && activity(incoming) < activity(held);
}

/**
 * The list after `c` changed (stream conversation.updated, or a command's
 * reply): it enters, moves, or leaves.
 */
export function upsertConversation(list: ListState, c: Conversation, me: string | null): ListState {
  const index = list.items.findIndex((x) => x.id === c.id);
  const held = index >= 0 ? list.items[index] : undefined;
  if (isStale(c, held)) {
    return list;
  }
  const rest = index >= 0 ? list.items.filter((_, i) => i !== index) : list.items;
  if (!matchesQuery(c, list.query, me)) {
    return index >= 0 ? { ...list, items: rest } : list;
  }
  const cmp = compareConversations(list.query.sort);
  let at = rest.findIndex((x) => cmp(c, x) < 0);
  if (at < 0) {
    at = rest.length;
    if (list.nextCursor !== null) {
      // Past the loaded window: a later page will bring it.
      return index >= 0 ? { ...list, items: rest } : list;
    }
  }
  const items = [...rest.slice(0, at), c, ...rest.slice(at)];
  return { ...list, items };
}

export function removeConversation(list: ListState, id: string): ListState {
  const items = list.items.filter((x) => x.id !== id);
  return items.length === list.items.length ? list : { ...list, items };
}

/**
 * The list with the next page added. A conversation already held (it moved
 * while we paged) is kept once, in its newest version, at its place.
 */
export function appendPage(list: ListState, page: ConversationPage, me: string | null): ListState {
  const byId = new Map<string, Conversation>();
  for (const c of list.items) {
    byId.set(c.id, c);
  }
  for (const c of page.items) {
    if (!isStale(c, byId.get(c.id))) {
      byId.set(c.id, c);
    }
  }
  const items = [...byId.values()]
    .filter((c) => matchesQuery(c, list.query, me))
    .sort(compareConversations(list.query.sort));
  return { ...list, items, nextCursor: page.next_cursor, counts: page.counts };
}

/**
 * Counts depend on status and filters, not on view or sort. The stream's
 * `counts` event is for status open without filters (CONTRACT.md); a GET's
 * counts are for its own query.
 */
export function countsScope(q: ConversationQuery): string {
  return JSON.stringify([q.status, q.channel ?? '', q.tag ?? '', q.stage ?? '', q.team ?? '', q.contact ?? '']);
}

export const STREAM_COUNTS_SCOPE = countsScope(DEFAULT_QUERY);

/** Apply counts given for `scope` (default: the stream's) if they are this list's. */
export function applyCounts(list: ListState, counts: Counts, scope: string = STREAM_COUNTS_SCOPE): ListState {
  return countsScope(list.query) === scope ? { ...list, counts } : list;
}

/** Two queries that list the same conversations (sort aside). */
export function sameQuery(a: ConversationQuery, b: ConversationQuery): boolean {
  return countsScope(a) === countsScope(b) && a.view === b.view && a.sort === b.sort;
}
