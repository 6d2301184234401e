import { readJson, writeJson, type KeyValueStorage } from './storage';

// Drafts: what an agent has typed in each conversation's composer. They
// live in the store and are mirrored to localStorage under the agent's key,
// so a reload, a crash or a failed send never loses typed text.
//
// A draft may hold the idempotency key of a send whose outcome is unknown
// (network failure, 5xx): retrying the same text reuses it, so the server
// sends once (docs/api.md, idempotency_key). Editing the text drops it.

export interface Draft {
  text: string;
  idempotencyKey?: string;
}

export type Drafts = Readonly<Record<string, Draft>>;

export function draftsKey(tenant: string, agent: string): string {
  return `atende.drafts.${tenant}.${agent}`;
}

export function loadDrafts(storage: KeyValueStorage, key: string): Drafts {
  const stored = readJson<Record<string, Draft>>(storage, key);
  if (!stored || typeof stored !== 'object') {
    return {};
  }
  const drafts: Record<string, Draft> = {};
  for (const [id, d] of Object.entries(stored)) {
    if (d && typeof d.text === 'string') {
      drafts[id] = d.idempotencyKey ? { text: d.text, idempotencyKey: d.idempotencyKey } : { text: d.text };
    }
  }
  return drafts;
}

export function saveDrafts(storage: KeyValueStorage, key: string, drafts: Drafts): void {
  if (Object.keys(drafts).length === 0) {
    storage.removeItem(key);
  } else {
    writeJson(storage, key, drafts);
  }
}

/** The drafts after the agent typed `text` in conversation `id`. */
export function setDraftText(drafts: Drafts, id: string, text: string): Drafts {
  const held = drafts[id];
  if (held && held.text === text) {
    return drafts;
  }
  if (text === '') {
    return clearDraft(drafts, id);
  }
  return { ...drafts, [id]: { text } };
}

export function clearDraft(drafts: Drafts, id: string): Drafts {
  if (!(id in drafts)) {
    return drafts;
  }
  const next = { ...drafts };
  delete next[id];
  return next;
}

/** The draft with a key for this send attempt: the held one, or a new one. */
export function withIdempotencyKey(drafts: Drafts, id: string, newKey: () => string): { drafts: Drafts; key: string } {
  const held = drafts[id] ?? { text: '' };
  if (held.idempotencyKey) {
    return { drafts, key: held.idempotencyKey };
  }
  const key = newKey();
  return { drafts: { ...drafts, [id]: { ...held, idempotencyKey: key } }, key };
}

/** After a definite refusal, the next attempt is a new send. */
export function dropIdempotencyKey(drafts: Drafts, id: string): Drafts {
  const held = drafts[id];
  if (!held?.idempotencyKey) {
    return drafts;
  }
  return { ...drafts, [id]: { text: held.text } };
}
