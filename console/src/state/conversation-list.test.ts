import { describe, expect, it } from 'vitest';
import type { ConversationQuery } from '../api/types';
import { at, conv, rng } from '../test/fixtures';
import { FakeServer } from '../test/fake-server';
import {
  appendPage,
  applyCounts,
  countsScope,
  emptyList,
  firstPage,
  matchesQuery,
  removeConversation,
  upsertConversation,
  type ListState,
} from './conversation-list';

const ME = 'ana';
const Q: ConversationQuery = { view: 'all', status: 'open', sort: 'recent' };

function ids(list: ListState): string[] {
  return list.items.map((c) => c.id);
}

describe('matchesQuery', () => {
  it('ViewsFollowTheContract', () => {
    const waiting = conv('w', { status: 'waiting' });
    const mine = conv('m', { status: 'open', assignee: ME });
    const theirs = conv('t', { status: 'open', assignee: 'bia' });
    const mineQ = { ...Q, view: 'mine' as const };
    const unQ = { ...Q, view: 'unassigned' as const };
    expect([waiting, mine, theirs].map((c) => matchesQuery(c, Q, ME))).toEqual([true, true, true]);
    expect([waiting, mine, theirs].map((c) => matchesQuery(c, mineQ, ME))).toEqual([false, true, false]);
    expect([waiting, mine, theirs].map((c) => matchesQuery(c, unQ, ME))).toEqual([true, false, false]);
  });

  it('StatusListsFollowTheFlags', () => {
    const c = conv('a', { status: 'open', assignee: ME, awaiting_customer: true });
    expect(matchesQuery(c, { ...Q, status: 'awaiting_customer' }, ME)).toBe(true);
    expect(matchesQuery(c, { ...Q, status: 'send_failed' }, ME)).toBe(false);
    expect(matchesQuery({ ...c, send_failed: true }, { ...Q, status: 'send_failed' }, ME)).toBe(true);
    expect(matchesQuery({ ...c, automation: true }, { ...Q, status: 'automation' }, ME)).toBe(true);
    const done = { ...c, status: 'finished' as const, automation: true, send_failed: true };
    expect(matchesQuery(done, { ...Q, status: 'finished' }, ME)).toBe(true);
    expect(matchesQuery(done, { ...Q, status: 'automation' }, ME)).toBe(false);
    expect(matchesQuery(done, { ...Q, status: 'send_failed' }, ME)).toBe(false);
    expect(matchesQuery(done, Q, ME)).toBe(false);
  });

  it('FiltersCombineWithAnd', () => {
    const c = conv('a', { channel: 'wa1', team: 'sales', tags: ['vip', 'b2b'], stage: 'lead' });
    expect(matchesQuery(c, { ...Q, channel: 'wa1', tag: 'b2b', stage: 'lead', team: 'sales' }, ME)).toBe(true);
    expect(matchesQuery(c, { ...Q, channel: 'wa1', tag: 'other' }, ME)).toBe(false);
    expect(matchesQuery(c, { ...Q, team: 'support' }, ME)).toBe(false);
    expect(matchesQuery(c, { ...Q, contact: 'k-a' }, ME)).toBe(true);
  });
});

describe('upsertConversation', () => {
  const base = (): ListState => ({
    query: Q,
    items: [conv('c3', { last_activity_at: at(3) }), conv('c2', { last_activity_at: at(2) }), conv('c1', { last_activity_at: at(1) })],
    nextCursor: null,
    counts: null,
  });

  it('NewActivityMovesItToTheTopOfRecent', () => {
    const l = upsertConversation(base(), conv('c1', { last_activity_at: at(9) }), ME);
    expect(ids(l)).toEqual(['c1', 'c3', 'c2']);
  });

  it('NewActivityMovesItToTheEndOfOldest', () => {
    const list = { ...base(), query: { ...Q, sort: 'oldest' as const } };
    list.items.reverse();
    const l = upsertConversation(list, conv('c1', { last_activity_at: at(9) }), ME);
    expect(ids(l)).toEqual(['c2', 'c3', 'c1']);
  });

  it('AConversationThatNoLongerMatchesLeaves', () => {
    const l = upsertConversation(base(), conv('c2', { status: 'finished', last_activity_at: at(5) }), ME);
    expect(ids(l)).toEqual(['c3', 'c1']);
  });

  it('AConversationThatNowMatchesEnters', () => {
    const list = { ...base(), query: { ...Q, view: 'mine' as const }, items: [] };
    const l = upsertConversation(list, conv('c7', { status: 'open', assignee: ME, last_activity_at: at(4) }), ME);
    expect(ids(l)).toEqual(['c7']);
  });

  it('AnUnrelatedConversationThatDoesNotMatchChangesNothing', () => {
    const list = base();
    expect(upsertConversation(list, conv('c9', { status: 'finished' }), ME)).toBe(list);
  });

  it('PastTheLoadedWindowItWaitsForItsPage', () => {
    const list = { ...base(), nextCursor: 'more' };
    const older = conv('c0', { last_activity_at: at(0) });
    expect(ids(upsertConversation(list, older, ME))).toEqual(['c3', 'c2', 'c1']);
    // and one that moves out of the window leaves it
    const oldest = { ...list, query: { ...Q, sort: 'oldest' as const }, items: [...list.items].reverse() };
    expect(ids(upsertConversation(oldest, conv('c1', { last_activity_at: at(9) }), ME))).toEqual(['c2', 'c3']);
  });

  it('AtTheEndOfTheListItIsAppended', () => {
    const l = upsertConversation(base(), conv('c0', { last_activity_at: at(0) }), ME);
    expect(ids(l)).toEqual(['c3', 'c2', 'c1', 'c0']);
  });

  it('AStaleUpdateIsIgnored', () => {
    const list = base();
    const stale = conv('c3', { last_activity_at: at(1), tags: ['old'] });
    expect(upsertConversation(list, stale, ME)).toBe(list);
  });

  it('TiesAreOrderedById', () => {
    const list = emptyList(Q);
    const l = [conv('b'), conv('a'), conv('c')].reduce((acc, c) => upsertConversation(acc, c, ME), list);
    expect(ids(l)).toEqual(['c', 'b', 'a']);
  });
});

describe('paging', () => {
  function server(n: number): FakeServer {
    const s = new FakeServer(ME);
    for (let i = 1; i <= n; i++) {
      s.put(conv(`c${i}`, { last_activity_at: at(i) }));
    }
    return s;
  }

  it('AppendsPagesInOrderUntilTheCursorIsNull', async () => {
    const s = server(7);
    let list = firstPage(Q, await s.listConversations(Q, { limit: 3 }), ME);
    expect(ids(list)).toEqual(['c7', 'c6', 'c5']);
    const cursors: Array<string | null> = [];
    while (list.nextCursor !== null) {
      list = appendPage(list, await s.listConversations(Q, { limit: 3, cursor: list.nextCursor }), ME);
      cursors.push(list.nextCursor);
    }
    expect(ids(list)).toEqual(['c7', 'c6', 'c5', 'c4', 'c3', 'c2', 'c1']);
    expect(cursors.at(-1)).toBeNull();
    expect(cursors).toHaveLength(2);
  });

  it('AConversationMetAgainWhilePagingIsKeptOnce', async () => {
    const s = server(6);
    const oldest = { ...Q, sort: 'oldest' as const };
    let list = firstPage(oldest, await s.listConversations(oldest, { limit: 3 }), ME);
    // c1 gets activity: it moves to the end, into the next page (docs: met a second time)
    s.change('c1', { last_activity_at: at(10) });
    while (list.nextCursor !== null) {
      list = appendPage(list, await s.listConversations(oldest, { limit: 3, cursor: list.nextCursor }), ME);
    }
    expect(ids(list)).toEqual(['c2', 'c3', 'c4', 'c5', 'c6', 'c1']);
    expect(new Set(ids(list)).size).toBe(list.items.length);
  });

  it('APageNeverBringsBackAnOlderVersion', async () => {
    let list = firstPage(Q, { items: [conv('c2', { last_activity_at: at(5), tags: ['new'] })], next_cursor: 'x', counts: { all: 2, mine: 0, unassigned: 2 } }, ME);
    list = appendPage(list, { items: [conv('c2', { last_activity_at: at(2) }), conv('c1', { last_activity_at: at(1) })], next_cursor: null, counts: { all: 2, mine: 0, unassigned: 2 } }, ME);
    expect(list.items.map((c) => [c.id, c.tags])).toEqual([['c2', ['new']], ['c1', []]]);
  });

  it('TakesTheCountsOfTheLatestPage', async () => {
    const s = server(2);
    const list = firstPage(Q, await s.listConversations(Q), ME);
    expect(list.counts).toEqual({ all: 2, mine: 0, unassigned: 2 });
  });
});

describe('counts', () => {
  it('StreamCountsApplyOnlyToStatusOpenWithoutFilters', () => {
    const counts = { all: 5, mine: 2, unassigned: 1 };
    expect(applyCounts(emptyList(Q), counts).counts).toEqual(counts);
    expect(applyCounts(emptyList({ ...Q, view: 'mine', sort: 'oldest' }), counts).counts).toEqual(counts);
    expect(applyCounts(emptyList({ ...Q, status: 'finished' }), counts).counts).toBeNull();
    expect(applyCounts(emptyList({ ...Q, channel: 'wa1' }), counts).counts).toBeNull();
  });

  it('ScopedCountsApplyToTheirQuery', () => {
    const q = { ...Q, tag: 'vip' };
    const counts = { all: 1, mine: 1, unassigned: 0 };
    expect(applyCounts(emptyList(q), counts, countsScope(q)).counts).toEqual(counts);
  });
});

describe('removeConversation', () => {
  it('RemovesByIdAndKeepsTheRest', () => {
    const list = { ...emptyList(Q), items: [conv('a'), conv('b')] };
    expect(ids(removeConversation(list, 'a'))).toEqual(['b']);
    expect(removeConversation(list, 'zz')).toBe(list);
  });
});

describe('stream applied to a GET equals a fresh GET', () => {
  // A generated scenario: random changes on the server, each followed by
  // the event the stream would send, and now and then the next page. After
  // every step the client list must be the prefix of what a fresh GET
  // lists, and all of it once the cursor is null.
  const queries: ConversationQuery[] = [
    Q,
    { ...Q, sort: 'oldest' },
    { ...Q, view: 'mine' },
    { ...Q, view: 'unassigned', sort: 'oldest' },
    { ...Q, status: 'finished' },
    { ...Q, status: 'awaiting_customer', tag: 'vip' },
    { ...Q, channel: 'wa2', team: 'support' },
  ];

  for (const [qi, query] of queries.entries()) {
    for (const seed of [1, 2, 3]) {
      it(`Query${qi}Seed${seed}`, async () => {
        const random = rng(seed * 100 + qi);
        const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
        const s = new FakeServer(ME);
        let clock = 0;
        for (let i = 0; i < 40; i++) {
          s.put(
            conv(`c${i}`, {
              last_activity_at: at(clock++),
              status: pick(['waiting', 'open', 'finished'] as const),
              assignee: pick([null, ME, 'bia']),
              tags: pick([[], ['vip'], ['vip', 'b2b']]),
              channel: pick(['wa1', 'wa2']),
              team: pick(['sales', 'support']),
              awaiting_customer: random() < 0.5,
            }),
          );
        }
        let list = firstPage(query, await s.listConversations(query, { limit: 6 }), ME);
        for (let step = 0; step < 120; step++) {
          const id = `c${Math.floor(random() * 40)}`;
          const r = random();
          if (r < 0.1 && list.nextCursor !== null) {
            list = appendPage(list, await s.listConversations(query, { limit: 6, cursor: list.nextCursor }), ME);
          } else {
            const event =
              r < 0.15
                ? s.hide(id)
                : r < 0.2
                  ? s.show(id)
                  : s.change(id, {
                      last_activity_at: random() < 0.7 ? at(clock++) : s.conversations.get(id)!.last_activity_at,
                      status: pick(['waiting', 'open', 'open', 'finished'] as const),
                      assignee: pick([null, ME, 'bia']),
                      tags: pick([[], ['vip']]),
                      channel: pick(['wa1', 'wa2']),
                      awaiting_customer: random() < 0.5,
                    });
            list =
              event.type === 'conversation.updated'
                ? upsertConversation(list, event.data, ME)
                : event.type === 'conversation.removed'
                  ? removeConversation(list, event.data.id)
                  : list;
          }
          const fresh = s.fullList(query).map((c) => c.id);
          const held = ids(list);
          expect(held).toEqual(fresh.slice(0, held.length));
          if (list.nextCursor === null) {
            expect(held).toEqual(fresh);
          }
        }
      });
    }
  }
});
