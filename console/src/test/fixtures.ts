import type { AgentBoard, Conversation, Message } from '../api/types';

// Builders for tests: a valid object with the fields a test cares about.

export const T0 = Date.parse('2026-11-21T12:00:00.000Z');

export function at(minutes: number): string {
  return new Date(T0 + minutes * 60_000).toISOString();
}

export function conv(id: string, over: Partial<Conversation> = {}): Conversation {
  return {
    id,
    contact: { id: `k-${id}`, name: `Contato ${id}`, phone: '5511987654321' },
    channel: 'wa1',
    team: 'sales',
    assignee: null,
    portfolio: null,
    outside_hours: false,
    status: 'waiting',
    awaiting_customer: false,
    send_failed: false,
    automation: false,
    composer_locked: false,
    window_expires_at: null,
    tags: [],
    stage: null,
    created_at: at(0),
    last_activity_at: at(0),
    finished_at: null,
    reason: null,
    description: null,
    last_message: null,
    ...over,
  };
}

export function msg(id: string, over: Partial<Message> = {}): Message {
  return { id, direction: 'in', kind: 'text', text: `texto ${id}`, at: at(0), status: 'received', ...over };
}

export function boardRow(id: string, over: Partial<AgentBoard> = {}): AgentBoard {
  return { id, name: id, role: 'agent', teams: ['sales'], max_concurrent: null, status: 'offline', pause: null, open_count: 0, ...over };
}

/** A deterministic pseudo-random sequence (LCG) for generated scenarios. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
