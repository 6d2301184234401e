// @vitest-environment happy-dom
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import type { Contact, PortfolioItem } from '../../../api/types';
import { fakeApi } from '../../../test/fake-api';
import { FakeServer } from '../../../test/fake-server';
import { button, click, flush, mount, submit, testStore, type } from '../../../test/render';
import type { ConsoleApi } from '../../../state/deps';
import { Contacts } from './Contacts';

function contact(id: string, over: Partial<Contact> = {}): Contact {
  return { id, name: `Contato ${id}`, phone: '5511987654321', tags: [], stage: null, departments: [], portfolios: [], ...over };
}

const GOLD: PortfolioItem = { id: 'ouro', name: 'Clientes Ouro', code: 'OURO', responsible: 'ana', members: [], contact_count: 0, contacts: [] };
const SILVER: PortfolioItem = { id: 'prata', name: 'Prata', code: null, responsible: 'ana', members: [], contact_count: 0, contacts: [] };

interface Call {
  method: string;
  path: string;
  body?: unknown;
  query?: Record<string, unknown>;
  file?: Blob;
}

function setup(reply: (c: Call) => unknown) {
  const calls: Call[] = [];
  const request = async (method: string, path: string, options: { body?: unknown; query?: Record<string, unknown>; file?: Blob } = {}) => {
    const call = { method, path, ...options };
    calls.push(call);
    return reply(call);
  };
  const api = fakeApi(new FakeServer('chefe'), { request: request as ConsoleApi['request'], listPortfolios: async () => [GOLD, SILVER] });
  return { store: testStore(api, { role: 'admin' }), calls };
}

const dialog = () => document.querySelector<HTMLElement>('[role=dialog]')!;
const cells = (row: Element) => [...row.querySelectorAll('th, td')].map((c) => c.textContent);

describe('Contacts', () => {
  it('DigitsSearchByPhoneAndWordsByName', async () => {
    const maria = contact('ct_1', { name: 'Maria Souza', phone: '5531988887777', tags: ['vip', 'lead'], stage: 'cliente', departments: ['vendas'], portfolios: ['ouro'] });
    const { store, calls } = setup(() => ({ items: [maria], next_cursor: null }));
    const el = await mount(store, <Contacts />);
    await flush();
    expect(calls[0]?.query).toEqual({ limit: 25, cursor: null });
    expect(cells(el.querySelector('tbody tr')!)).toEqual(['Maria Souza', '+55 (31) 98888-7777', 'vip, lead', 'cliente', 'vendas', 'Clientes Ouro', 'Editar']);
    const search = el.querySelector<HTMLInputElement>('input[type=search]')!;
    await type(search, '+55 31 98888-7777');
    await submit(el.querySelector('form[role=search]'));
    expect(calls.at(-1)?.query).toEqual({ phone: '5531988887777', limit: 25, cursor: null });
    await type(search, 'Mari');
    await submit(el.querySelector('form[role=search]'));
    expect(calls.at(-1)?.query).toEqual({ q: 'Mari', limit: 25, cursor: null });
  });

  it('CarregarMaisReadsTheNextPage', async () => {
    const { store, calls } = setup((c) =>
      c.query?.cursor ? { items: [contact('ct_2')], next_cursor: null } : { items: [contact('ct_1')], next_cursor: 'Y3RfMQ' },
    );
    const el = await mount(store, <Contacts />);
    await flush();
    await click(button(el, 'Carregar mais'));
    expect(calls.at(-1)?.query).toEqual({ limit: 25, cursor: 'Y3RfMQ' });
    expect(el.querySelectorAll('tbody tr')).toHaveLength(2);
    expect(button(el, 'Carregar mais')).toBeUndefined();
  });

  it('EditingAContactSendsTagsAsAListAndItsPortfolios', async () => {
    const joao = contact('ct_1', { name: 'João', tags: ['vip'], portfolios: ['ouro'] });
    const { store, calls } = setup((c) =>
      c.method === 'PATCH' ? { ...joao, ...(c.body as Partial<Contact>) } : { items: [joao], next_cursor: null },
    );
    const el = await mount(store, <Contacts />);
    await flush();
    await click(el.querySelector('[aria-label="Editar João"]'));
    const form = dialog().querySelector('form')!;
    const [name, tags, stage, departments] = form.querySelectorAll<HTMLInputElement>('.field input');
    expect(tags!.value).toBe('vip');
    await type(name!, 'João Pereira ');
    await type(tags!, 'vip, b2b, ,lead');
    await type(stage!, 'negociação');
    await type(departments!, 'vendas');
    const boxes = [...form.querySelectorAll<HTMLInputElement>('fieldset input[type=checkbox]')];
    expect(boxes.map((b) => b.checked)).toEqual([true, false]);
    await click(boxes[0]);
    await click(boxes[1]);
    await submit(form);
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(patch?.path).toBe('/v1/contacts/ct_1');
    expect(patch?.body).toEqual({ name: 'João Pereira', tags: ['vip', 'b2b', 'lead'], stage: 'negociação', departments: ['vendas'], portfolios: ['prata'] });
    expect(document.querySelector('[role=dialog]')).toBeNull();
    expect(cells(el.querySelector('tbody tr')!)).toEqual(['João Pereira', '+55 (11) 98765-4321', 'vip, b2b, lead', 'negociação', 'vendas', 'Prata', 'Editar']);
  });

  it('TheImportReportListsEachBadLineWithItsCode', async () => {
    const { store, calls } = setup((c) =>
      c.path === '/v1/contacts/import'
        ? {
            imported: 2,
            updated: 1,
            errors: [
              { line: 3, code: 'invalid_phone', field: 'phone', message: "phone: must hold digits only (no '+', spaces or punctuation)" },
              { line: 4, code: 'invalid_value', field: 'name', message: 'name: must not be empty' },
            ],
          }
        : { items: [], next_cursor: null },
    );
    const el = await mount(store, <Contacts />);
    await flush();
    await click(button(el, 'Importar CSV'));
    const input = dialog().querySelector<HTMLInputElement>('input[type=file]')!;
    // A spreadsheet's export may carry another type: it goes as text/csv.
    const file = new File(['name,phone,tags,portfolios\nAna,5511987654321,,\n'], 'clientes.csv', { type: 'application/vnd.ms-excel' });
    await act(() => {
      Object.defineProperty(input, 'files', { value: [file], configurable: true });
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await submit(dialog().querySelector('form'));
    const sent = calls.find((c) => c.path === '/v1/contacts/import')!;
    expect(sent.method).toBe('POST');
    expect(sent.file?.type).toBe('text/csv');
    expect(await sent.file?.text()).toBe('name,phone,tags,portfolios\nAna,5511987654321,,\n');
    expect(dialog().querySelector('[role=status]')?.textContent).toBe('2 contatos criados · 1 atualizado · 2 linhas recusadas');
    const lines = [...dialog().querySelectorAll('.import-errors tbody tr')].map(cells);
    expect(lines).toEqual([
      ['3', 'invalid_phoneNúmero de telefone inválido.', 'phone', "phone: must hold digits only (no '+', spaces or punctuation)"],
      ['4', 'invalid_valueValor inválido.', 'name', 'name: must not be empty'],
    ]);
    expect([...dialog().querySelectorAll('.import-errors th[scope=col]')].map((th) => th.textContent)).toEqual(['Linha', 'Código', 'Campo', 'Mensagem']);
    // The list is read again with the new contacts.
    expect(calls.filter((c) => c.path === '/v1/contacts')).toHaveLength(2);
  });

  it('BaixarModeloDownloadsTheTemplateFile', async () => {
    const { store } = setup(() => ({ items: [], next_cursor: null }));
    const el = await mount(store, <Contacts />);
    const link = [...el.querySelectorAll('a')].find((a) => a.textContent === 'Baixar modelo')!;
    expect(link.getAttribute('download')).toBe('modelo-contatos.csv');
    expect(link.getAttribute('href')).toMatch(/^blob:/);
    expect(el.textContent).toContain('Nenhum contato cadastrado.');
  });
});
