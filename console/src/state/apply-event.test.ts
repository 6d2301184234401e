import { describe, expect, it } from 'vitest';
import type { ConversationQuery } from '../api/types';
import { parseStreamEvent, type LiveEvent } from '../live/events';
import { at, boardRow, conv, msg } from '../test/fixtures';
import { applyEvent, upsertMessage, type LiveState } from './apply-event';
import { countsScope, emptyList } from './conversation-list';

const ME = 'ana';
const Q: ConversationQuery = { view: 'all', status: 'open', sort: 'recent' };

function state(query: ConversationQuery = Q): LiveState {
  return {
    list: {
      ...emptyList(query),
      items: [conv('c2', { last_activity_at: at(2) }), conv('c1', { last_activity_at: at(1) })],
      counts: { all: 2, mine: 0, unassigned: 2 },
    },
    details: {
      c1: { conversation: { ...conv('c1', { last_activity_at: at(1) }), messages: [msg('m1', { at: at(1) })] }, gone: false },
    },
    board: {},
    mentions: [],
  };
}

function apply(s: LiveState, ...events: LiveEvent[]): { s: LiveState; effects: string[] } {
  const effects: string[] = [];
  for (const e of events) {
    const r = applyEvent(s, e, ME);
    s = r.state;
    effects.push(...r.effects);
  }
  return { s, effects };
}

describe('applyEvent', () => {
  it('ConversationUpdatedResortsTheListAndRefreshesTheOpenConversation', () => {
    const updated = conv('c1', { last_activity_at: at(5), status: 'open', assignee: ME, tags: ['vip'] });
    const { s, effects } = apply(state(), { type: 'conversation.updated', data: updated });
    expect(s.list.items.map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(s.details.c1!.conversation.tags).toEqual(['vip']);
    expect(s.details.c1!.conversation.messages).toHaveLength(1);
    expect(effects).toEqual([]);
  });

  it('ConversationUpdatedThatLeavesTheFilterLeavesTheList', () => {
    const q = { ...Q, view: 'unassigned' as const };
    const { s } = apply(state(q), { type: 'conversation.updated', data: conv('c2', { status: 'open', assignee: 'bia', last_activity_at: at(3) }) });
    expect(s.list.items.map((c) => c.id)).toEqual(['c1']);
  });

  it('ConversationUpdatedThatEntersTheFilterJoinsTheList', () => {
    const q = { ...Q, view: 'mine' as const };
    const start = { ...state(q), list: { ...state(q).list, items: [] } };
    const { s } = apply(start, { type: 'conversation.updated', data: conv('c9', { status: 'open', assignee: ME, last_activity_at: at(7) }) });
    expect(s.list.items.map((c) => c.id)).toEqual(['c9']);
  });

  it('ConversationRemovedLeavesTheListAndMarksTheOpenConversationGone', () => {
    const { s } = apply(state(), { type: 'conversation.removed', data: { id: 'c1' } });
    expect(s.list.items.map((c) => c.id)).toEqual(['c2']);
    expect(s.details.c1!.gone).toBe(true);
  });

  it('MessageCreatedAppendsAndMessageUpdatedReplaces', () => {
    const m2 = msg('m2', { direction: 'out', status: 'pending', at: at(3) });
    const { s } = apply(
      state(),
      { type: 'message.created', data: { conversation: 'c1', message: m2 } },
      { type: 'message.created', data: { conversation: 'c1', message: m2 } },
      { type: 'message.updated', data: { conversation: 'c1', message: { ...m2, status: 'read' } } },
    );
    expect(s.details.c1!.conversation.messages.map((m) => [m.id, m.status])).toEqual([
      ['m1', 'received'],
      ['m2', 'read'],
    ]);
  });

  it('MessagesOfConversationsNotOpenAreIgnored', () => {
    const before = state();
    const { s } = apply(before, { type: 'message.created', data: { conversation: 'c2', message: msg('x') } });
    expect(s).toBe(before);
  });

  it('AgentUpdatedReplacesTheBoardRow', () => {
    const { s } = apply(
      state(),
      { type: 'agent.updated', data: boardRow('ana', { status: 'online' }) },
      { type: 'agent.updated', data: boardRow('ana', { status: 'online', pause: { type: 'lunch', since: at(0), overdue: false } }) },
    );
    expect(s.board.ana!.pause?.type).toBe('lunch');
  });

  it('CountsApplyToTheOpenListWithoutFilters', () => {
    const { s } = apply(state(), { type: 'counts', data: { all: 9, mine: 3, unassigned: 4 } });
    expect(s.list.counts).toEqual({ all: 9, mine: 3, unassigned: 4 });
  });

  it('StreamCountsDoNotOverwriteFilteredCountsButAskForARecount', () => {
    const q = { ...Q, channel: 'wa1' };
    const { s, effects } = apply(
      state(q),
      { type: 'counts', data: { all: 9, mine: 3, unassigned: 4 } },
      { type: 'conversation.updated', data: conv('c1', { last_activity_at: at(4) }) },
    );
    expect(s.list.counts).toEqual({ all: 2, mine: 0, unassigned: 2 });
    expect(effects).toEqual(['recount']);
    const scoped = apply(s, { type: 'counts', data: { all: 1, mine: 1, unassigned: 0 }, scope: countsScope(q) });
    expect(scoped.s.list.counts).toEqual({ all: 1, mine: 1, unassigned: 0 });
  });

  it('NoteMentionIsKeptNewestFirst', () => {
    const note = (id: string, author: string) => msg(id, { direction: 'note', author });
    const { s } = apply(
      state(),
      { type: 'note.mention', data: { conversation: 'c1', message: note('m1', 'bia') } },
      { type: 'note.mention', data: { conversation: 'c2', message: note('m2', 'caio') } },
    );
    expect(s.mentions.map((m) => m.conversation)).toEqual(['c2', 'c1']);
  });

  it('ResetAsksForAReload', () => {
    const before = state();
    const { s, effects } = apply(before, { type: 'reset' });
    expect(s).toBe(before);
    expect(effects).toEqual(['reload']);
  });
});

describe('upsertMessage', () => {
  it('KeepsMessagesOldestFirst', () => {
    const list = [msg('a', { at: at(1) }), msg('c', { at: at(3) })];
    expect(upsertMessage(list, msg('b', { at: at(2) })).map((m) => m.id)).toEqual(['a', 'b', 'c']);
    expect(upsertMessage(list, msg('d', { at: at(3) })).map((m) => m.id)).toEqual(['a', 'c', 'd']);
  });
});

describe('parseStreamEvent', () => {
  it('ParsesEveryKind', () => {
    const c = conv('c1');
    expect(parseStreamEvent('conversation.updated', JSON.stringify(c))).toEqual({ type: 'conversation.updated', data: c });
    expect(parseStreamEvent('conversation.removed', '{"id":"c1"}')).toEqual({ type: 'conversation.removed', data: { id: 'c1' } });
    expect(parseStreamEvent('message.created', JSON.stringify({ conversation: 'c1', message: msg('m1') }))?.type).toBe('message.created');
    expect(parseStreamEvent('message.updated', JSON.stringify({ conversation: c, message: msg('m1') }))).toMatchObject({ data: { conversation: 'c1' } });
    expect(parseStreamEvent('agent.updated', JSON.stringify(boardRow('ana')))?.type).toBe('agent.updated');
    expect(parseStreamEvent('counts', '{"all":1,"mine":0,"unassigned":1}')).toEqual({ type: 'counts', data: { all: 1, mine: 0, unassigned: 1 } });
    expect(parseStreamEvent('note.mention', '{"conversation":"c1"}')?.type).toBe('note.mention');
    expect(parseStreamEvent('reset', '')).toEqual({ type: 'reset' });
  });

  it('IgnoresUnknownOrBrokenEvents', () => {
    expect(parseStreamEvent('something.new', '{}')).toBeNull();
    expect(parseStreamEvent('counts', 'not json')).toBeNull();
    expect(parseStreamEvent('conversation.updated', '{"no":"id"}')).toBeNull();
    expect(parseStreamEvent('message.created', '{"conversation":"c1"}')).toBeNull();
  });
});
