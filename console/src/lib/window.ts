import type { Conversation, Role } from '../api/types';

// The 24-hour window of WhatsApp, as the composer shows it. Everything here
// is a pure function of the conversation and a given `now` (ms since the
// epoch): the screen passes the store's ticking clock, tests a fixed one.

export type WindowState =
  /** The contact never wrote to this channel, or WhatsApp closed it. */
  | { kind: 'none' }
  | { kind: 'open'; remainingMs: number }
  | { kind: 'expired'; expiredAt: number };

export function windowState(expiresAt: string | null, now: number): WindowState {
  if (!expiresAt) {
    return { kind: 'none' };
  }
  const end = Date.parse(expiresAt);
  if (Number.isNaN(end)) {
    return { kind: 'none' };
  }
  return end > now ? { kind: 'open', remainingMs: end - now } : { kind: 'expired', expiredAt: end };
}

export interface Countdown {
  hours: number;
  minutes: number;
  seconds: number;
}

/** Remaining time split for display, rounded down to the second. */
export function countdown(ms: number): Countdown {
  const total = Math.max(0, Math.floor(ms / 1000));
  return { hours: Math.floor(total / 3600), minutes: Math.floor((total % 3600) / 60), seconds: total % 60 };
}

/** "23h 05min", "12min 09s", "45s". */
export function formatCountdown(ms: number): string {
  const c = countdown(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (c.hours > 0) {
    return `${c.hours}h ${pad(c.minutes)}min`;
  }
  if (c.minutes > 0) {
    return `${c.minutes}min ${pad(c.seconds)}s`;
  }
  return `${c.seconds}s`;
}

/** Why free text cannot be sent now, or null when it can. */
export type LockReason =
  | 'finished'
  /** An agent (not admin) who is not the assignee: 403 not_assignee. */
  | 'not_assignee'
  /** The window is closed or was never opened: only a template. */
  | 'window_closed'
  /** A template was sent and the customer has not replied yet. */
  | 'awaiting_template_reply';

export interface ComposerState {
  locked: boolean;
  reason: LockReason | null;
  window: WindowState;
  /** Templates may be sent (the only way out of a closed window). */
  templatesAllowed: boolean;
}

export interface Caller {
  id: string;
  role: Role;
}

export function composerState(conversation: Conversation, caller: Caller, now: number): ComposerState {
  const window = windowState(conversation.window_expires_at, now);
  if (conversation.status === 'finished') {
    return { locked: true, reason: 'finished', window, templatesAllowed: false };
  }
  if (caller.role !== 'admin' && conversation.assignee !== caller.id) {
    return { locked: true, reason: 'not_assignee', window, templatesAllowed: false };
  }
  if (window.kind !== 'open') {
    // The server's composer_locked may lag the clock: the window closes by
    // time alone, with no event, so the countdown reaching 0 locks too.
    return { locked: true, reason: 'window_closed', window, templatesAllowed: true };
  }
  if (conversation.composer_locked) {
    return { locked: true, reason: 'awaiting_template_reply', window, templatesAllowed: true };
  }
  return { locked: false, reason: null, window, templatesAllowed: true };
}
