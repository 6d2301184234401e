import type { Conversation, LastMessage } from '../../api/types';
import type { MessageKey } from '../../i18n';

// What an inbox row says about a conversation, as data: the screen turns
// the keys into words.

/** The status flags a row shows, most urgent first. */
export function rowFlags(c: Conversation): MessageKey[] {
  const flags: MessageKey[] = [];
  if (c.status === 'finished') {
    flags.push('flag.finished');
  }
  if (c.status !== 'finished' && c.send_failed) {
    flags.push('flag.send_failed');
  }
  if (c.status === 'waiting') {
    flags.push('flag.waiting');
  }
  if (c.outside_hours) {
    flags.push('flag.outside_hours');
  }
  if (c.status === 'open' && c.awaiting_customer) {
    flags.push('flag.awaiting_customer');
  }
  if (c.status !== 'finished' && c.automation) {
    flags.push('flag.automation');
  }
  if (c.status === 'snoozed') {
    flags.push('flag.snoozed');
  }
  return flags;
}

const KIND_KEYS: Record<string, MessageKey> = {
  image: 'kind.image',
  audio: 'kind.audio',
  voice: 'kind.audio',
  video: 'kind.video',
  document: 'kind.document',
  sticker: 'kind.sticker',
  location: 'kind.location',
  contacts: 'kind.contacts',
  reaction: 'kind.reaction',
  interactive: 'kind.interactive',
  button: 'kind.interactive',
  order: 'kind.order',
  unsupported: 'kind.unsupported',
};

/** A message kind's label key, for kinds that are not plain text. */
export function kindKey(kind: string): MessageKey | null {
  return KIND_KEYS[kind] ?? null;
}

/** The preview line of a last message: its text, else its kind. */
export function previewOf(m: LastMessage | null): { text: string; kind: MessageKey | null } {
  if (!m) {
    return { text: '', kind: null };
  }
  return { text: m.text, kind: m.text ? null : kindKey(m.kind) };
}
