import { describe, expect, it } from 'vitest';
import type { Conversation } from '../api/types';
import { composerState, countdown, formatCountdown, windowState } from './window';

const NOW = Date.parse('2026-11-21T13:00:00.000Z');
const HOUR = 3_600_000;

function conversation(over: Partial<Conversation> = {}): Conversation {
  return {
    id: 'c1',
    contact: { id: 'k1', name: 'João', phone: '5511987654321' },
    channel: 'wa1',
    team: 'sales',
    assignee: 'ana',
    portfolio: null,
    status: 'open',
    awaiting_customer: false,
    send_failed: false,
    automation: false,
    composer_locked: false,
    window_expires_at: new Date(NOW + 3 * HOUR).toISOString(),
    tags: [],
    stage: null,
    created_at: '2026-11-21T10:00:00.000Z',
    last_activity_at: '2026-11-21T12:00:00.000Z',
    finished_at: null,
    reason: null,
    description: null,
    last_message: null,
    ...over,
  };
}

const ana = { id: 'ana', role: 'agent' as const };

describe('windowState', () => {
  it('IsOpenWithTheRemainingTime', () => {
    expect(windowState('2026-11-21T14:30:00.000Z', NOW)).toEqual({ kind: 'open', remainingMs: 1.5 * HOUR });
  });

  it('ExpiresExactlyAtItsTime', () => {
    expect(windowState('2026-11-21T13:00:00.000Z', NOW).kind).toBe('expired');
    expect(windowState('2026-11-21T13:00:00.001Z', NOW)).toEqual({ kind: 'open', remainingMs: 1 });
  });

  it('NullMeansNoWindow', () => {
    expect(windowState(null, NOW)).toEqual({ kind: 'none' });
  });
});

describe('countdown', () => {
  it('SplitsAndRoundsDown', () => {
    expect(countdown(23 * HOUR + 5 * 60_000 + 59_999)).toEqual({ hours: 23, minutes: 5, seconds: 59 });
    expect(countdown(-5)).toEqual({ hours: 0, minutes: 0, seconds: 0 });
  });

  it('FormatsByMagnitude', () => {
    expect(formatCountdown(23 * HOUR + 5 * 60_000)).toBe('23h 05min');
    expect(formatCountdown(12 * 60_000 + 9_000)).toBe('12min 09s');
    expect(formatCountdown(45_000)).toBe('45s');
  });

  it('CountsDownAsNowAdvances', () => {
    const expires = new Date(NOW + 90_000).toISOString();
    const at = (dt: number) => {
      const w = windowState(expires, NOW + dt);
      return w.kind === 'open' ? formatCountdown(w.remainingMs) : w.kind;
    };
    expect([at(0), at(1_000), at(60_000), at(89_000), at(90_000)]).toEqual(['1min 30s', '1min 29s', '30s', '1s', 'expired']);
  });
});

describe('composerState', () => {
  it('AssigneeWithOpenWindowMayWrite', () => {
    const s = composerState(conversation(), ana, NOW);
    expect(s).toMatchObject({ locked: false, reason: null, window: { kind: 'open', remainingMs: 3 * HOUR } });
  });

  it('ClosedWindowLocksToTemplates', () => {
    const s = composerState(conversation({ window_expires_at: null, composer_locked: true }), ana, NOW);
    expect(s).toMatchObject({ locked: true, reason: 'window_closed', templatesAllowed: true });
  });

  it('WindowRunningOutLocksEvenBeforeTheServerSaysSo', () => {
    const c = conversation({ window_expires_at: new Date(NOW + 1000).toISOString() });
    expect(composerState(c, ana, NOW).locked).toBe(false);
    expect(composerState(c, ana, NOW + 1000)).toMatchObject({ locked: true, reason: 'window_closed' });
  });

  it('TemplateAwaitingReplyLocksWhileTheWindowIsOpen', () => {
    const s = composerState(conversation({ composer_locked: true }), ana, NOW);
    expect(s).toMatchObject({ locked: true, reason: 'awaiting_template_reply' });
  });

  it('FinishedConversationsAreLocked', () => {
    expect(composerState(conversation({ status: 'finished' }), ana, NOW)).toMatchObject({ locked: true, reason: 'finished', templatesAllowed: false });
  });

  it('OnlyTheAssigneeOrAnAdminMayWrite', () => {
    const waiting = conversation({ status: 'waiting', assignee: null });
    expect(composerState(waiting, ana, NOW).reason).toBe('not_assignee');
    expect(composerState(waiting, { id: 'boss', role: 'admin' }, NOW).locked).toBe(false);
  });
});
