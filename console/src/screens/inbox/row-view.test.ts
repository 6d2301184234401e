import { describe, expect, it } from 'vitest';
import { conv } from '../../test/fixtures';
import { previewOf, rowFlags } from './row-view';

describe('rowFlags', () => {
  it('ShowTheStatusListsAConversationIsIn', () => {
    expect(rowFlags(conv('a', { status: 'waiting' }))).toEqual(['flag.waiting']);
    expect(rowFlags(conv('a', { status: 'open', awaiting_customer: true, automation: true }))).toEqual(['flag.awaiting_customer', 'flag.automation']);
    expect(rowFlags(conv('a', { status: 'open', send_failed: true }))).toEqual(['flag.send_failed']);
    expect(rowFlags(conv('a', { status: 'finished', send_failed: true, automation: true }))).toEqual(['flag.finished']);
  });
});

describe('previewOf', () => {
  it('UsesTheTextOrTheKind', () => {
    const base = { id: 'm', direction: 'in' as const, at: '', status: 'received' as const };
    expect(previewOf({ ...base, kind: 'text', text: 'Oi' })).toEqual({ text: 'Oi', kind: null });
    expect(previewOf({ ...base, kind: 'image', text: '' })).toEqual({ text: '', kind: 'kind.image' });
    expect(previewOf(null)).toEqual({ text: '', kind: null });
  });
});
