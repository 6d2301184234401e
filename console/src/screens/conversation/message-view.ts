import type { Message, Reaction } from '../../api/types';

// What a message bubble shows, as pure data.

export type MediaKind = 'image' | 'audio' | 'video' | 'document' | 'sticker';

const MEDIA_KINDS: ReadonlySet<string> = new Set(['image', 'audio', 'video', 'document', 'sticker']);

/** The kind of media a message carries, from its kind or its MIME type. */
export function mediaKind(m: Message): MediaKind | null {
  if (m.kind === 'voice') {
    return 'audio';
  }
  if (MEDIA_KINDS.has(m.kind)) {
    return m.kind as MediaKind;
  }
  const mime = m.media?.mime_type ?? '';
  if (!m.media) {
    return null;
  }
  if (mime.startsWith('image/')) {
    return 'image';
  }
  if (mime.startsWith('audio/')) {
    return 'audio';
  }
  if (mime.startsWith('video/')) {
    return 'video';
  }
  return 'document';
}

export interface ReactionGroup {
  emoji: string;
  count: number;
  /** "customer" or agent ids. */
  by: string[];
}

/** Reactions grouped by emoji, in order of first use; empty emojis (removals) skipped. */
export function groupReactions(reactions: readonly Reaction[] | undefined): ReactionGroup[] {
  const groups = new Map<string, ReactionGroup>();
  for (const r of reactions ?? []) {
    if (!r.emoji) {
      continue;
    }
    const g = groups.get(r.emoji) ?? { emoji: r.emoji, count: 0, by: [] };
    g.count++;
    g.by.push(r.by);
    groups.set(r.emoji, g);
  }
  return [...groups.values()];
}

/** The message a reply quotes, when it is in the conversation. */
export function quoted(messages: readonly Message[], replyTo: string | null | undefined): Message | null {
  if (!replyTo) {
    return null;
  }
  return messages.find((m) => m.id === replyTo) ?? null;
}

/** A short one-line excerpt. */
export function snippet(text: string, max = 80): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export type Actor =
  | { kind: 'agent'; id: string }
  | { kind: 'rule'; name: string }
  | { kind: 'connector' }
  | { kind: 'root' }
  | { kind: 'other'; text: string };

/** A timeline actor (agent:<id>, rule:<name>, connector, root). */
export function parseActor(actor: string): Actor {
  if (actor.startsWith('agent:')) {
    return { kind: 'agent', id: actor.slice(6) };
  }
  if (actor.startsWith('rule:')) {
    return { kind: 'rule', name: actor.slice(5) };
  }
  if (actor === 'connector') {
    return { kind: 'connector' };
  }
  if (actor === 'root') {
    return { kind: 'root' };
  }
  return { kind: 'other', text: actor };
}

/** Why an assignment went where it went, from a `conversation.assigned` timeline item's data. */
export interface AssignmentWhy {
  agent: string;
  rule: string;
  /** Who could have been chosen at that moment. */
  eligible: string[];
}

export function assignmentWhy(item: { type: string; data: Record<string, unknown> }): AssignmentWhy | null {
  if (item.type !== 'conversation.assigned' || typeof item.data.agent !== 'string') {
    return null;
  }
  const eligible = Array.isArray(item.data.eligible) ? item.data.eligible.filter((x): x is string => typeof x === 'string') : [];
  return { agent: item.data.agent, rule: typeof item.data.rule === 'string' ? item.data.rule : '', eligible };
}
