import { describe, expect, it } from 'vitest';
import { msg } from '../../test/fixtures';
import { groupReactions, mediaKind, parseActor, quoted, snippet } from './message-view';

describe('message view', () => {
  it('KnowsTheMediaKind', () => {
    expect(mediaKind(msg('a', { kind: 'image' }))).toBe('image');
    expect(mediaKind(msg('a', { kind: 'voice' }))).toBe('audio');
    expect(mediaKind(msg('a', { kind: 'text' }))).toBeNull();
    expect(mediaKind(msg('a', { kind: 'text', media: { id: 'x', mime_type: 'video/mp4', size: 1 } }))).toBe('video');
    expect(mediaKind(msg('a', { kind: 'text', media: { id: 'x', mime_type: 'application/pdf', size: 1 } }))).toBe('document');
  });

  it('GroupsReactionsByEmoji', () => {
    const at = '2026-11-21T12:00:00.000Z';
    expect(
      groupReactions([
        { by: 'customer', emoji: '👍', at },
        { by: 'ana', emoji: '❤️', at },
        { by: 'bia', emoji: '👍', at },
        { by: 'caio', emoji: '', at },
      ]),
    ).toEqual([
      { emoji: '👍', count: 2, by: ['customer', 'bia'] },
      { emoji: '❤️', count: 1, by: ['ana'] },
    ]);
  });

  it('FindsTheQuotedMessage', () => {
    const list = [msg('m1'), msg('m2')];
    expect(quoted(list, 'm1')?.id).toBe('m1');
    expect(quoted(list, 'zz')).toBeNull();
    expect(quoted(list, null)).toBeNull();
  });

  it('CutsSnippets', () => {
    expect(snippet('a\n b   c')).toBe('a b c');
    expect(snippet('x'.repeat(100), 10)).toBe('xxxxxxxxx…');
  });

  it('ParsesActors', () => {
    expect(parseActor('agent:ana')).toEqual({ kind: 'agent', id: 'ana' });
    expect(parseActor('rule:round_robin')).toEqual({ kind: 'rule', name: 'round_robin' });
    expect(parseActor('connector')).toEqual({ kind: 'connector' });
    expect(parseActor('root')).toEqual({ kind: 'root' });
    expect(parseActor('x')).toEqual({ kind: 'other', text: 'x' });
  });
});
