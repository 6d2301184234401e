// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../api/error';
import type { Portfolio } from '../../../api/portfolios';
import type { Contact } from '../../../api/types';
import { fakeApi } from '../../../test/fake-api';
import { FakeServer } from '../../../test/fake-server';
import { boardRow } from '../../../test/fixtures';
import { button, choose, click, flush, mount, submit, testStore, type } from '../../../test/render';
import type { ConsoleApi } from '../../../state/deps';
import { Portfolios } from './Portfolios';

const LUNCH: [string, string][] = [
  ['08:00', '12:00'],
  ['13:00', '18:00'],
];

function portfolio(id: string, over: Partial<Portfolio> = {}): Portfolio {
  return { id, name: id, code: null, hours: null, responsible: 'ana', members: [], contact_count: 0, contacts: [], ...over };
}

function contact(id: string, name: string, tags: string[], portfolios: string[] = []): Contact {
  return { id, name, phone: `5511987650${id.slice(-3).padStart(3, '0')}`, tags, stage: null, departments: [], portfolios };
}

interface Call {
  method: string;
  path: string;
  body?: unknown;
  query?: Record<string, unknown>;
}

/**
 * The portfolio and contact endpoints over in-memory lists, every call
 * written down; `reply` answers a call first when it returns something.
 */
function setup(opts: { portfolios?: Portfolio[]; contacts?: Contact[]; reply?: (c: Call) => unknown } = {}) {
  const server = new FakeServer('chefe');
  server.board.set('ana', boardRow('ana', { name: 'Ana Lima' }));
  server.board.set('bia', boardRow('bia', { name: 'Bia Costa' }));
  server.board.set('caio', boardRow('caio', { name: 'Caio Dias' }));
  let portfolios = opts.portfolios ?? [];
  const contacts = opts.contacts ?? [];
  const calls: Call[] = [];
  const request = async (method: string, path: string, options: { body?: unknown; query?: Record<string, unknown> } = {}) => {
    const call: Call = { method, path, body: options.body, query: options.query };
    calls.push(call);
    const replied = opts.reply?.(call);
    if (replied instanceof Error) {
      throw replied;
    }
    if (replied !== undefined) {
      return replied;
    }
    if (method === 'POST' && path === '/v1/portfolios') {
      const p = portfolio('pf_1', options.body as Partial<Portfolio>);
      portfolios = [...portfolios, p];
      return p;
    }
    if (method === 'POST' && path === '/v1/portfolios/delete') {
      const ids = (options.body as { ids: string[] }).ids;
      portfolios = portfolios.filter((p) => !ids.includes(p.id));
      return { results: ids.map((id) => ({ id, ok: true })) };
    }
    const members = path.match(/^\/v1\/portfolios\/([^/]+)\/contacts$/);
    if (members && method === 'GET') {
      const held = contacts.filter((c) => c.portfolios.includes(members[1]!));
      return { items: held.map(({ id, name, phone, tags }) => ({ id, name, phone, tags })), next_cursor: null };
    }
    if (method === 'GET' && path === '/v1/contacts') {
      return { items: contacts, next_cursor: null };
    }
    throw new ApiError(404, { code: 'not_found', message: `no route ${method} ${path}` });
  };
  const listAll = async (path: string) => {
    calls.push({ method: 'GET', path });
    return path === '/v1/portfolios' ? portfolios : [];
  };
  let listed = 0;
  const api = fakeApi(server, {
    request: request as ConsoleApi['request'],
    listAll: listAll as ConsoleApi['listAll'],
    listPortfolios: async () => {
      listed++;
      return portfolios;
    },
  });
  const store = testStore(api, { role: 'admin' });
  return { store, calls, configLoads: () => listed };
}

const rows = (el: HTMLElement) => [...el.querySelectorAll<HTMLTableRowElement>('.portfolios-table tbody tr')];
const dialog = () => document.querySelector<HTMLElement>('[role=dialog]')!;
const byLabel = (root: ParentNode, label: string) => root.querySelector<HTMLInputElement>(`[aria-label="${label}"]`);

describe('Portfolios', () => {
  it('TheTableShowsOwnersContactsAndHours', async () => {
    const gold = portfolio('ouro', {
      name: 'Clientes Ouro',
      code: 'OURO',
      members: ['bia', 'caio'],
      hours: { timezone: 'America/Manaus', week: { mon: LUNCH, tue: LUNCH, wed: LUNCH, thu: LUNCH, fri: LUNCH, sat: [['08:00', '12:00']] } },
      contact_count: 132,
      contacts: [
        { id: 'ct_1', name: 'João Silva', phone: '5511987654321' },
        { id: 'ct_2', name: '5521987654321', phone: '5521987654321' },
        { id: 'ct_3', name: 'Maria', phone: '5531988887777' },
        { id: 'ct_4', name: 'Pedro', phone: '5531988887776' },
      ],
    });
    const { store } = setup({ portfolios: [gold, portfolio('prata', { name: 'Prata' })] });
    const el = await mount(store, <Portfolios />);
    await flush();
    const cells = [...rows(el)[0]!.querySelectorAll('th, td')].map((c) => c.textContent);
    expect(cells.slice(1, 7)).toEqual([
      'Clientes OuroIdentificador: ouro',
      'OURO',
      'Ana Lima',
      'Bia Costa, Caio Dias',
      '132 contatosJoão Silva, +55 (21) 98765-4321, Maria, Pedro e mais 128',
      'seg–sex 08:00–12:00, 13:00–18:00sáb 08:00–12:00America/Manaus',
    ]);
    const silver = [...rows(el)[1]!.querySelectorAll('td')].map((c) => c.textContent);
    expect(silver).toContain('0 contatos');
    expect(silver).toContain('Sempre aberta');
    expect(el.querySelectorAll('th[scope=col]')).toHaveLength(8);
    expect(el.querySelector('thead input[type=checkbox]')?.closest('label')?.textContent).toBe('Selecionar todas as carteiras');
  });

  it('BulkDeleteAsksFirstAndShowsTheResult', async () => {
    const { store, calls, configLoads } = setup({
      portfolios: [portfolio('ouro', { name: 'Ouro', contact_count: 3 }), portfolio('prata', { name: 'Prata' })],
      reply: (c) =>
        c.path === '/v1/portfolios/delete'
          ? { results: [{ id: 'ouro', ok: true }, { id: 'prata', ok: false, error: { code: 'not_found', message: 'no portfolio prata' } }] }
          : undefined,
    });
    const el = await mount(store, <Portfolios />);
    await flush();
    expect(button(el, 'Excluir selecionadas')?.disabled).toBe(true);
    await click(el.querySelector('thead input[type=checkbox]'));
    expect(el.textContent).toContain('2 selecionadas');
    await click(button(el, 'Excluir selecionadas'));
    // It asks first, naming what goes, and nothing is deleted yet.
    expect(dialog().querySelector('h2')?.textContent).toBe('Excluir 2 carteiras');
    expect(dialog().textContent).toContain('Ouro 3 contatosPrata 0 contatos');
    expect(calls.some((c) => c.path === '/v1/portfolios/delete')).toBe(false);
    const loadsBefore = configLoads();
    await click(button(dialog(), 'Excluir'));
    expect(calls.find((c) => c.path === '/v1/portfolios/delete')?.body).toEqual({ ids: ['ouro', 'prata'] });
    expect(dialog().querySelector('h2')?.textContent).toBe('Resultado');
    expect(dialog().querySelector('[role=status]')?.textContent).toBe('1 com sucesso, 1 com erro.');
    expect(dialog().querySelector('li.failed')?.textContent).toBe('PrataNão encontrado. no portfolio prata');
    expect(dialog().querySelector('li.ok')?.textContent).toBe('OuroFeito');
    // The console's list of portfolios is read again.
    expect(configLoads()).toBeGreaterThan(loadsBefore);
    await click(button(dialog(), 'Fechar'));
    expect(document.querySelector('[role=dialog]')).toBeNull();
  });

  it('ANewPortfolioIsSentWithItsCodeOwnersAndLunchBreak', async () => {
    const { store, calls } = setup();
    const el = await mount(store, <Portfolios />);
    await flush();
    await click(button(el, 'Nova carteira'));
    const form = dialog().querySelector('form')!;
    const fields = form.querySelectorAll<HTMLInputElement>('.field input');
    await type(fields[0]!, ' Clientes Ouro ');
    await type(fields[2]!, 'OURO');
    await choose(form.querySelector('select'), 'ana');
    // The responsible is not offered as a member.
    const members = [...form.querySelectorAll('.members label')].map((l) => l.textContent);
    expect(members).toEqual(['Bia Costa', 'Caio Dias']);
    await click(form.querySelector('.members input'));
    // Business hours: Monday with a lunch break, copied to the weekdays.
    await click([...form.querySelectorAll('.hours-editor > label input')][0]);
    await click(byLabel(form, 'Adicionar período em Segunda'));
    await type(byLabel(form, 'Fim do período 1 de Segunda'), '12:00');
    await click(byLabel(form, 'Adicionar período em Segunda'));
    expect(byLabel(form, 'Início do período 2 de Segunda')?.value).toBe('12:00');
    await type(byLabel(form, 'Início do período 2 de Segunda'), '13:00');
    await type(byLabel(form, 'Fim do período 2 de Segunda'), '18:00');
    await click(button(form, 'Copiar segunda para os dias úteis'));
    expect(byLabel(form, 'Fim do período 2 de Sexta')?.value).toBe('18:00');
    await submit(form);
    const post = calls.find((c) => c.method === 'POST' && c.path === '/v1/portfolios');
    expect(post?.body).toEqual({
      name: 'Clientes Ouro',
      code: 'OURO',
      responsible: 'ana',
      members: ['bia'],
      hours: { week: { mon: LUNCH, tue: LUNCH, wed: LUNCH, thu: LUNCH, fri: LUNCH } },
    });
    await flush();
    expect(document.querySelector('[role=dialog]')).toBeNull();
    expect(rows(el)).toHaveLength(1);
  });

  it('OverlappingPeriodsAreMarkedAndNothingIsSent', async () => {
    const { store, calls } = setup({ portfolios: [portfolio('ouro', { name: 'Ouro', hours: { week: { tue: [['08:00', '12:00']] } } })] });
    const el = await mount(store, <Portfolios />);
    await flush();
    await click(byLabel(el, 'Editar Ouro'));
    const form = dialog().querySelector('form')!;
    expect(byLabel(form, 'Início do período 1 de Terça')?.value).toBe('08:00');
    await click(byLabel(form, 'Adicionar período em Terça'));
    await type(byLabel(form, 'Início do período 2 de Terça'), '11:00');
    await type(byLabel(form, 'Fim do período 2 de Terça'), '14:00');
    await submit(form);
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false);
    const second = byLabel(form, 'Início do período 2 de Terça')!;
    expect(second.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(second.getAttribute('aria-describedby')!)?.textContent).toBe('Sobrepõe outro período do dia.');
    expect(form.querySelector('[role=alert]')?.textContent).toBe('Corrija os horários marcados.');
    // Fixed, it goes as a PATCH with the periods in order.
    await type(second, '13:00');
    await submit(form);
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(patch?.path).toBe('/v1/portfolios/ouro');
    expect((patch?.body as { hours: unknown }).hours).toEqual({ week: { tue: [['08:00', '12:00'], ['13:00', '14:00']] } });
  });

  it('ACodeAnotherPortfolioHasIsShownUnderTheCode', async () => {
    const { store } = setup({
      reply: (c) => (c.method === 'POST' && c.path === '/v1/portfolios' ? new ApiError(409, { code: 'already_exists', field: 'code', message: "code: portfolio 'prata' has code OURO" }) : undefined),
    });
    const el = await mount(store, <Portfolios />);
    await flush();
    await click(button(el, 'Nova carteira'));
    const form = dialog().querySelector('form')!;
    const fields = form.querySelectorAll<HTMLInputElement>('.field input');
    await type(fields[0]!, 'Ouro');
    await type(fields[2]!, 'OURO');
    await choose(form.querySelector('select'), 'ana');
    await submit(form);
    expect(fields[2]!.getAttribute('aria-invalid')).toBe('true');
    const err = document.getElementById(fields[2]!.getAttribute('aria-describedby')!);
    expect(err?.textContent).toBe("Já existe. code: portfolio 'prata' has code OURO");
    expect(dialog()).not.toBeNull();
  });

  it('AddingByTagPreviewsTheCountThenShowsWhatWasAdded', async () => {
    const contacts = [
      contact('ct_001', 'Maria Souza', ['vip'], ['ouro']),
      contact('ct_002', 'Pedro Alves', ['vip']),
      contact('ct_003', 'João Pereira', ['lead']),
      contact('ct_004', 'Carla Dias', ['vip', 'b2b']),
    ];
    const { store, calls } = setup({
      portfolios: [portfolio('ouro', { name: 'Ouro', contact_count: 1 })],
      contacts,
      reply: (c) => (c.method === 'POST' && c.path === '/v1/portfolios/ouro/contacts' ? { added: 2, removed: 0 } : undefined),
    });
    const el = await mount(store, <Portfolios />);
    await flush();
    await click(byLabel(el, 'Contatos de Ouro'));
    expect(dialog().querySelector('h2')?.textContent).toBe('Contatos da carteira Ouro');
    expect(dialog().querySelector('tbody')?.textContent).toContain('Maria Souza');
    const [, tag] = dialog().querySelectorAll<HTMLInputElement>('.portfolio-filter input');
    await type(tag!, ' vip ');
    await submit(dialog().querySelector('.portfolio-filter'));
    // The count asks the API for the filter's contacts, by name and tag.
    expect(calls.find((c) => c.path === '/v1/contacts')?.query).toEqual({ q: undefined, tag: 'vip', limit: 500, cursor: null });
    expect(dialog().querySelector('.portfolio-filter-preview')?.textContent).toBe('3 contatos correspondem ao filtro. 1 já está na carteira. 2 serão adicionados.');
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    await click(button(dialog(), 'Adicionar 2 contatos'));
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ add_filter: { tag: 'vip' } });
    expect(dialog().querySelector('.portfolio-filter-preview')?.textContent).toBe('Adicionados: 2. Removidos: 0.');
  });

  it('RemovingAContactTakesItOutOfThePortfolio', async () => {
    const { store, calls } = setup({
      portfolios: [portfolio('ouro', { name: 'Ouro', contact_count: 1 })],
      contacts: [contact('ct_001', 'Maria Souza', ['vip'], ['ouro'])],
      reply: (c) => (c.method === 'POST' ? { added: 0, removed: 1 } : undefined),
    });
    const el = await mount(store, <Portfolios />);
    await flush();
    await click(byLabel(el, 'Contatos de Ouro'));
    const before = calls.filter((c) => c.path === '/v1/portfolios/ouro/contacts' && c.method === 'GET').length;
    await click(byLabel(dialog(), 'Remover Maria Souza da carteira'));
    expect(calls.find((c) => c.method === 'POST')).toEqual({ method: 'POST', path: '/v1/portfolios/ouro/contacts', body: { remove: ['ct_001'] }, query: undefined });
    expect(dialog().querySelector('.portfolio-filter-preview')?.textContent).toBe('Adicionados: 0. Removidos: 1.');
    // The list is read again.
    expect(calls.filter((c) => c.path === '/v1/portfolios/ouro/contacts' && c.method === 'GET').length).toBe(before + 1);
  });
});
