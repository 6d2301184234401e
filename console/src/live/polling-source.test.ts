import { describe, expect, it } from 'vitest';
import type { ConversationDetail, ConversationQuery } from '../api/types';
import { countsScope } from '../state/conversation-list';
import { FakeServer } from '../test/fake-server';
import { FakeScheduler } from '../test/fake-scheduler';
import { at, boardRow, conv, msg } from '../test/fixtures';
import type { LiveEvent } from './events';
import { PollingSource, type PollTargets } from './polling-source';
import type { LiveMode } from './source';

const Q: ConversationQuery = { view: 'all', status: 'open', sort: 'recent' };

function setup(targets: Partial<PollTargets> = {}) {
  const server = new FakeServer('ana');
  const events: LiveEvent[] = [];
  const modes: LiveMode[] = [];
  const t: PollTargets = { query: Q, loaded: [], open: null, me: 'ana', board: 'none', boardRows: {}, ...targets };
  const scheduler = new FakeScheduler();
  const source = new PollingSource(server, () => t, { scheduler, intervalMs: 5000 });
  source.start({ onEvent: (e) => events.push(e), onMode: (m) => modes.push(m) });
  return { server, events, modes, t, source, scheduler };
}

describe('PollingSource', () => {
  it('ReportsChangedAndNewConversationsAndScopedCounts', async () => {
    const { server, events, t, source } = setup();
    const same = conv('c1', { last_activity_at: at(1) });
    server.put(same);
    server.put(conv('c2', { last_activity_at: at(2) }));
    t.loaded = [same];
    await source.pollOnce();
    expect(events.map((e) => e.type)).toEqual(['conversation.updated', 'counts']);
    expect(events[0]).toMatchObject({ data: { id: 'c2' } });
    expect(events[1]).toEqual({ type: 'counts', data: { all: 2, mine: 0, unassigned: 2 }, scope: countsScope(Q) });
  });

  it('AConversationGoneFromSightIsRemovedAndOneThatLeftTheListIsUpdated', async () => {
    const { server, events, t, source } = setup();
    const a = conv('a', { last_activity_at: at(1) });
    const b = conv('b', { last_activity_at: at(2) });
    server.put(a);
    server.put(b);
    t.loaded = [b, a];
    server.hide('a');
    server.change('b', { status: 'finished' });
    await source.pollOnce();
    expect(events.filter((e) => e.type !== 'counts')).toEqual([
      { type: 'conversation.updated', data: server.conversations.get('b') },
      { type: 'conversation.removed', data: { id: 'a' } },
    ]);
  });

  it('ReportsNewAndChangedMessagesOfTheOpenConversation', async () => {
    const m1 = msg('m1', { direction: 'out', status: 'sent', at: at(1) });
    const c = conv('c1', { last_activity_at: at(1) });
    const open: ConversationDetail = { ...c, messages: [m1] };
    const { server, events, source } = setup({ query: null, open });
    server.put(c);
    server.messages.set('c1', [{ ...m1, status: 'read' }, msg('m2', { at: at(2) })]);
    await source.pollOnce();
    expect(events.map((e) => e.type)).toEqual(['message.updated', 'message.created']);
  });

  it('ReportsTheAgentsOwnBoardRowWhenItChanges', async () => {
    const { server, events, t, source } = setup({ query: null, board: 'me' });
    server.board.set('ana', boardRow('ana', { status: 'online' }));
    await source.pollOnce();
    expect(events).toEqual([{ type: 'agent.updated', data: boardRow('ana', { status: 'online' }) }]);
    t.boardRows = { ana: boardRow('ana', { status: 'online' }) };
    await source.pollOnce();
    expect(events).toHaveLength(1);
  });

  it('DropsAnswersForAListTheAgentLeftMeanwhile', async () => {
    const { server, events, t, source } = setup();
    server.put(conv('c1'));
    const original = server.listConversations;
    server.listConversations = async (q, p) => {
      t.query = { ...Q, view: 'mine' };
      return original(q, p);
    };
    await source.pollOnce();
    expect(events).toEqual([]);
  });

  it('PollsOnItsScheduleAndWhenPoked', async () => {
    const { scheduler, source, modes } = setup({ query: null });
    expect(modes).toEqual(['polling']);
    expect(scheduler.pending).toEqual([5000]);
    source.poke();
    expect(scheduler.pending).toEqual([0]);
    source.stop();
    expect(scheduler.pending).toEqual([]);
  });

  it('NetworkFailureShowsOffline', async () => {
    const { server, modes, source } = setup();
    server.listConversations = async () => {
      const { ApiError } = await import('../api/error');
      throw new ApiError(0, { code: 'network', message: 'Failed to fetch' });
    };
    await source.pollOnce();
    expect(modes).toEqual(['polling', 'offline']);
  });
});
