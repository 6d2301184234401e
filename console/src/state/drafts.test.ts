import { describe, expect, it } from 'vitest';
import { clearDraft, draftsKey, dropIdempotencyKey, loadDrafts, saveDrafts, setDraftText, withIdempotencyKey } from './drafts';
import { MemoryStorage } from './storage';

describe('drafts', () => {
  it('AreKeptPerConversation', () => {
    let d = setDraftText({}, 'c1', 'olá');
    d = setDraftText(d, 'c2', 'bom dia');
    d = setDraftText(d, 'c1', 'olá, tudo bem?');
    expect(d).toEqual({ c1: { text: 'olá, tudo bem?' }, c2: { text: 'bom dia' } });
  });

  it('EmptyTextRemovesTheDraft', () => {
    expect(setDraftText({ c1: { text: 'x' } }, 'c1', '')).toEqual({});
  });

  it('SurviveAReloadThroughStorage', () => {
    const storage = new MemoryStorage();
    const key = draftsKey('acme', 'ana');
    saveDrafts(storage, key, { c1: { text: 'rascunho' }, c2: { text: 'outro', idempotencyKey: 'k1' } });
    expect(loadDrafts(storage, key)).toEqual({ c1: { text: 'rascunho' }, c2: { text: 'outro', idempotencyKey: 'k1' } });
    expect(loadDrafts(storage, draftsKey('acme', 'bia'))).toEqual({});
  });

  it('BrokenStorageGivesNoDrafts', () => {
    const storage = new MemoryStorage();
    storage.setItem('k', '{not json');
    expect(loadDrafts(storage, 'k')).toEqual({});
    storage.setItem('k', '{"c1":{"nope":1},"c2":{"text":"ok"}}');
    expect(loadDrafts(storage, 'k')).toEqual({ c2: { text: 'ok' } });
  });

  it('NoDraftsLeaveNoStorageBehind', () => {
    const storage = new MemoryStorage();
    saveDrafts(storage, 'k', { c1: { text: 'x' } });
    saveDrafts(storage, 'k', clearDraft({ c1: { text: 'x' } }, 'c1'));
    expect(storage.getItem('k')).toBeNull();
  });

  it('ARetryReusesTheIdempotencyKeyUntilTheTextChanges', () => {
    let n = 0;
    const newKey = () => `k${++n}`;
    let d = setDraftText({}, 'c1', 'oi');
    const first = withIdempotencyKey(d, 'c1', newKey);
    d = first.drafts;
    const second = withIdempotencyKey(d, 'c1', newKey);
    expect([first.key, second.key]).toEqual(['k1', 'k1']);
    d = setDraftText(d, 'c1', 'oi!');
    expect(withIdempotencyKey(d, 'c1', newKey).key).toBe('k2');
    expect(dropIdempotencyKey({ c1: { text: 'oi', idempotencyKey: 'k1' } }, 'c1')).toEqual({ c1: { text: 'oi' } });
  });
});
