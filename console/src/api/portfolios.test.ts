import { describe, expect, it } from 'vitest';
import { cleanFilter, contactsQuery, countByFilter, importContacts, type RecordsApi } from './portfolios';
import type { Contact, Page } from './types';

function contact(id: string, name: string, tags: string[] = [], portfolios: string[] = []): Contact {
  return { id, name, phone: `55119876${id.padStart(5, '0')}`, tags, stage: null, departments: [], portfolios };
}

/**
 * GET /v1/contacts over a list, `limit` a page, optionally by name prefix
 * (`q`) and tag (`tag`, unless `ignoresTag`: a server from before it).
 */
function contactsApi(all: Contact[], calls: string[], opts: { ignoresTag?: boolean } = {}): RecordsApi {
  return {
    request: (async (method: string, path: string, options: { query?: Record<string, unknown> } = {}) => {
      const q = options.query ?? {};
      calls.push(`${method} ${path} q=${q.q ?? ''} tag=${q.tag ?? ''} limit=${q.limit} cursor=${q.cursor ?? ''}`);
      const matching = all.filter(
        (c) =>
          (!q.q || c.name.toLowerCase().startsWith(String(q.q).toLowerCase())) &&
          (opts.ignoresTag || !q.tag || c.tags.includes(String(q.tag))),
      );
      const from = q.cursor ? Number(q.cursor) : 0;
      const limit = Number(q.limit);
      const items = matching.slice(from, from + limit);
      const next = from + limit < matching.length ? String(from + limit) : null;
      return { items, next_cursor: next } satisfies Page<Contact>;
    }) as RecordsApi['request'],
    listAll: (async () => []) as RecordsApi['listAll'],
  };
}

describe('portfolio and contact calls', () => {
  it('DigitsSearchByNumberAndWordsByName', () => {
    expect(contactsQuery('5511987654321')).toEqual({ phone: '5511987654321' });
    expect(contactsQuery(' +55 (11) 98765-4321 ')).toEqual({ phone: '5511987654321' });
    expect(contactsQuery('Maria S')).toEqual({ q: 'Maria S' });
    expect(contactsQuery('  ')).toEqual({});
  });

  it('ATagIsAskedOfTheApiAndTheCountGrowsPageByPage', async () => {
    const all: Contact[] = [];
    for (let i = 0; i < 3000; i++) {
      all.push(contact(String(i), `Cliente ${i}`, i % 3 === 0 ? ['vip'] : ['lead'], i % 30 === 0 ? ['ouro'] : []));
    }
    const calls: string[] = [];
    const seen: number[] = [];
    const count = await countByFilter(contactsApi(all, calls), { tag: 'vip' }, 'ouro', { onPage: (c) => seen.push(c.matching) });
    expect(count).toEqual({ matching: 1000, already: 100 });
    expect(calls).toEqual(['GET /v1/contacts q= tag=vip limit=500 cursor=', 'GET /v1/contacts q= tag=vip limit=500 cursor=500']);
    expect(seen).toEqual([500, 1000]);
  });

  it('AServerThatIgnoresTheTagStillGivesTheRightCount', async () => {
    const all: Contact[] = [];
    for (let i = 0; i < 1200; i++) {
      all.push(contact(String(i), `Cliente ${i}`, i % 3 === 0 ? ['vip'] : ['lead']));
    }
    const calls: string[] = [];
    expect(await countByFilter(contactsApi(all, calls, { ignoresTag: true }), { tag: 'vip' }, null)).toEqual({ matching: 400, already: 0 });
    expect(calls).toHaveLength(3);
  });

  it('ANameIsFilteredByTheApiAndATagOnTopOfIt', async () => {
    const all = [contact('1', 'Maria Souza', ['vip']), contact('2', 'Mariana Lima'), contact('3', 'João', ['vip']), contact('4', 'maria clara', ['VIP'])];
    const calls: string[] = [];
    expect(await countByFilter(contactsApi(all, calls), { name: 'mari' }, null)).toEqual({ matching: 3, already: 0 });
    expect(calls).toEqual(['GET /v1/contacts q=mari tag= limit=500 cursor=']);
    // Tags are compared exactly, as the engine does.
    expect(await countByFilter(contactsApi(all, []), { name: 'mari', tag: 'vip' }, null)).toEqual({ matching: 1, already: 0 });
  });

  it('ACountStoppedHalfwayGivesNothing', async () => {
    const all = Array.from({ length: 1000 }, (_, i) => contact(String(i), `C${i}`, ['vip']));
    const calls: string[] = [];
    let pages = 0;
    const count = await countByFilter(contactsApi(all, calls), { tag: 'vip' }, null, { onPage: () => pages++, stop: () => pages >= 1 });
    expect(count).toBeNull();
    expect(calls).toHaveLength(2);
  });

  it('AFilterIsTrimmedAndEmptyPartsAreLeftOut', () => {
    expect(cleanFilter({ name: ' Ma ', tag: '' })).toEqual({ name: 'Ma' });
    expect(cleanFilter({ tag: ' vip' })).toEqual({ tag: 'vip' });
    expect(cleanFilter({ name: ' ', tag: ' ' })).toBeNull();
  });

  it('TheImportSendsTheFileAsTextCsvWhateverTypeItHad', async () => {
    const sent: Blob[] = [];
    const api: RecordsApi = {
      request: (async (_m: string, _p: string, options: { file?: Blob }) => {
        sent.push(options.file!);
        return { imported: 1, updated: 0, errors: [] };
      }) as RecordsApi['request'],
      listAll: (async () => []) as RecordsApi['listAll'],
    };
    await importContacts(api, new Blob(['name,phone,tags,portfolios\n'], { type: 'application/vnd.ms-excel' }));
    await importContacts(api, new Blob(['name,phone,tags,portfolios\n']));
    expect(sent.map((b) => b.type)).toEqual(['text/csv', 'text/csv']);
    expect(await sent[0]!.text()).toBe('name,phone,tags,portfolios\n');
  });
});
