// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../api/error';
import type { ChannelRecord } from '../../../api/settings';
import type { PauseType, Reason, Team, Template } from '../../../api/types';
import { fakeApi } from '../../../test/fake-api';
import { FakeServer } from '../../../test/fake-server';
import { boardRow } from '../../../test/fixtures';
import { button, choose, click, flush, mount, submit, testStore, type } from '../../../test/render';
import { Settings, type SettingsSection } from './Settings';

// The configuration screens over an API that keeps the records in memory
// and writes down every request it gets.

interface Call {
  method: string;
  path: string;
  body?: Record<string, unknown>;
}

const sales: Team = { id: 'sales', name: 'Vendas', distribution: 'manual', max_per_agent: 5, require_reason: false };
const support: Team = { id: 'support', name: 'Suporte', distribution: 'least_busy', max_per_agent: 3, require_reason: true };
const wa1: ChannelRecord = {
  id: 'wa1',
  kind: 'whatsapp',
  name: 'Loja',
  phone: '5511900000000',
  phone_number_id: 'PN1',
  default_team: 'sales',
  has_access_token: true,
  has_app_secret: false,
  mark_read: false,
};

function setup(opts: { refuse?: (call: Call) => ApiError | null; channel?: Record<string, unknown> } = {}) {
  const db = {
    teams: [{ ...sales }, { ...support }],
    channels: [{ ...wa1 }],
    agents: [boardRow('ana', { name: 'Ana', teams: ['sales'], status: 'online', open_count: 2 }), boardRow('bia', { name: 'Bia', teams: ['sales', 'support'], max_concurrent: 4, pause: { type: 'lunch', since: '2026-11-21T11:30:00.000Z', overdue: true } })],
    'pause-types': [{ id: 'lunch', name: 'Almoço', max_minutes: 60, allowed_from: '11:00' } as PauseType],
    reasons: [{ id: 'sold', name: 'Venda realizada' } as Reason],
    templates: [
      { id: 'tp1', channel: 'wa1', name: 'retomada', language: 'pt_BR', body: 'Oi {{1}}, podemos continuar?', status: 'approved' } as Template,
      { id: 'tp2', channel: 'wa1', name: 'promo', language: 'pt_BR', body: 'Oferta', status: 'pending' } as Template,
    ],
  } as unknown as Record<string, Array<{ id: string }>>;
  const calls: Call[] = [];
  const lists: string[] = [];
  let n = 0;
  const resourceOf = (path: string) => path.split('/')[2]!;
  const api = fakeApi(new FakeServer('ana'), {
    listAll: (async (path: string) => {
      lists.push(path);
      return structuredClone(db[resourceOf(path)] ?? []);
    }) as never,
    listTeams: async () => structuredClone(db.teams) as never,
    listChannels: async () => structuredClone(db.channels) as never,
    listPauseTypes: async () => structuredClone(db['pause-types']) as never,
    request: (async (method: string, path: string, options: { body?: Record<string, unknown> } = {}) => {
      const call: Call = { method, path, ...(options.body ? { body: options.body } : {}) };
      calls.push(call);
      const refusal = opts.refuse?.(call);
      if (refusal) {
        throw refusal;
      }
      const [, , resource, id] = path.split('/');
      const list = db[resource!]!;
      if (method === 'GET') {
        return { ...list.find((r) => r.id === decodeURIComponent(id!)), ...opts.channel };
      }
      if (method === 'POST') {
        const record: Record<string, unknown> = { id: `new${++n}`, ...options.body };
        delete record.password;
        list.push(record as { id: string });
        return resource === 'agents' ? { ...record, token: 'acme~c5b5aa0b54' } : record;
      }
      const i = list.findIndex((r) => r.id === decodeURIComponent(id!));
      list[i] = { ...list[i], ...options.body };
      return list[i];
    }) as never,
  });
  return { api, db, calls, lists };
}

async function open(section: SettingsSection, api = setup()) {
  const store = testStore(api.api, { role: 'admin' });
  const el = await mount(store, <Settings section={section} />);
  await flush();
  return { el, store, ...api };
}

function rowButton(el: HTMLElement, text: string): HTMLButtonElement | undefined {
  return [...el.querySelectorAll('button')].find((b) => b.textContent?.replace(/\s+/g, ' ').trim() === text);
}

function field(el: ParentNode, label: string): HTMLInputElement & HTMLSelectElement & HTMLTextAreaElement {
  const l = [...el.querySelectorAll('label')].find((x) => x.textContent?.replace(/\s*\*$/, '').trim() === label);
  if (!l) {
    throw new Error(`no field ${label}`);
  }
  const input = l.htmlFor ? el.querySelector(`[id="${l.htmlFor}"]`) : l.querySelector('input, select, textarea');
  return input as HTMLInputElement & HTMLSelectElement & HTMLTextAreaElement;
}

const dialog = (el: HTMLElement) => el.querySelector<HTMLElement>('[role=dialog]');
const writes = (calls: Call[]) => calls.filter((c) => c.method !== 'GET');

describe('Settings', () => {
  it('ListsTeamsWithTheirDistributionInWords', async () => {
    const { el, lists } = await open('teams');
    expect(lists).toEqual(['/v1/teams']);
    expect(el.querySelector('h1')?.textContent).toBe('Equipes');
    expect([...el.querySelectorAll('thead th')].map((th) => th.getAttribute('scope'))).toEqual(['col', 'col', 'col', 'col', 'col']);
    const rows = [...el.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent));
    expect(rows).toEqual([
      ['Vendassales', 'Manual', '5', 'Não'],
      ['Suportesupport', 'Menos ocupado', '3', 'Sim'],
    ]);
  });

  it('EditingATeamSendsOnlyTheChangedFields', async () => {
    const { el, calls, store } = await open('teams');
    await click(rowButton(el, 'Editar Vendas'));
    const d = dialog(el)!;
    expect(d.querySelector('h2')?.textContent).toBe('Editar equipe: Vendas');
    expect(field(d, 'Nome').value).toBe('Vendas');
    await choose(field(d, 'Distribuição'), 'round_robin');
    await click(d.querySelector('.field-require_reason input'));
    await submit(d.querySelector('form'));
    expect(writes(calls)).toEqual([{ method: 'PATCH', path: '/v1/teams/sales', body: { distribution: 'round_robin', require_reason: true } }]);
    expect(dialog(el)).toBeNull();
    // The table and the console's reference list both show the change.
    expect(el.querySelector('tbody tr td:nth-child(2)')?.textContent).toBe('Rodízio');
    expect(store.config.lists.teams.value.items?.find((t) => t.id === 'sales')?.distribution).toBe('round_robin');
  });

  it('SavingAnUnchangedFormSendsNothingAndTheFocusReturns', async () => {
    const { el, calls } = await open('teams');
    const edit = rowButton(el, 'Editar Vendas')!;
    edit.focus();
    await click(edit);
    await submit(dialog(el)!.querySelector('form'));
    expect(writes(calls)).toEqual([]);
    expect(dialog(el)).toBeNull();
    // The focus is back where it was.
    expect(document.activeElement).toBe(edit);
  });

  it('ANewTeamLetsTheServerChooseItsIdUnlessOneIsTyped', async () => {
    const { el, calls } = await open('teams');
    await click(button(el, 'Nova equipe'));
    let d = dialog(el)!;
    // The first field has the focus; required fields are marked.
    expect(document.activeElement).toBe(field(d, 'Nome'));
    expect(field(d, 'Nome').required).toBe(true);
    expect(d.querySelector('label .required-mark')?.getAttribute('aria-hidden')).toBe('true');
    await type(field(d, 'Nome'), ' Financeiro ');
    await submit(d.querySelector('form'));
    await click(button(el, 'Nova equipe'));
    d = dialog(el)!;
    await type(field(d, 'Nome'), 'Cobrança');
    await type(field(d, 'Identificador'), 'billing');
    await choose(field(d, 'Distribuição'), 'contact_group');
    await submit(d.querySelector('form'));
    expect(writes(calls)).toEqual([
      { method: 'POST', path: '/v1/teams', body: { name: 'Financeiro', distribution: 'manual', max_per_agent: 5, require_reason: false } },
      { method: 'POST', path: '/v1/teams', body: { id: 'billing', name: 'Cobrança', distribution: 'contact_group', max_per_agent: 5, require_reason: false } },
    ]);
    expect(el.querySelectorAll('tbody tr')).toHaveLength(4);
  });

  it('ARefusalKeepsTheFormAndShowsTheApiMessage', async () => {
    const refuse = (c: Call) => (c.method === 'POST' ? new ApiError(422, { code: 'invalid_value', message: 'max_per_agent: must be at least 1', field: 'max_per_agent' }) : null);
    const { el } = await open('teams', setup({ refuse }));
    await click(button(el, 'Nova equipe'));
    const d = dialog(el)!;
    await type(field(d, 'Nome'), 'Pós-venda');
    await type(field(d, 'Capacidade por atendente'), '0');
    await submit(d.querySelector('form'));
    expect(dialog(el)).not.toBeNull();
    const alert = d.querySelector('[role=alert]')!;
    expect(alert.textContent).toBe('Valor inválido. max_per_agent: must be at least 1');
    expect(field(d, 'Nome').value).toBe('Pós-venda');
    const cap = field(d, 'Capacidade por atendente');
    expect(cap.value).toBe('0');
    expect(cap.getAttribute('aria-invalid')).toBe('true');
    expect(cap.getAttribute('aria-describedby')).toContain(alert.id);
    expect(field(d, 'Nome').getAttribute('aria-invalid')).toBeNull();
  });

  it('TheAgentsTokenIsShownOnceAfterCreation', async () => {
    const { el, calls } = await open('agents');
    await click(button(el, 'Novo atendente'));
    let d = dialog(el)!;
    await type(field(d, 'Nome'), 'Caio Prado');
    await choose(field(d, 'Papel'), 'admin');
    await click([...d.querySelectorAll('.checks label')].find((l) => l.textContent === 'Suporte')!.querySelector('input'));
    await type(field(d, 'Capacidade própria'), '3');
    await type(field(d, 'Usuário'), 'caio');
    await type(field(d, 'Senha'), 'senha-do-caio-1');
    await submit(d.querySelector('form'));
    expect(writes(calls)).toEqual([
      { method: 'POST', path: '/v1/agents', body: { name: 'Caio Prado', role: 'admin', teams: ['support'], max_concurrent: 3, login: 'caio', password: 'senha-do-caio-1' } },
    ]);
    d = dialog(el)!;
    expect(d.querySelector('h2')?.textContent).toBe('Token de API de Caio Prado');
    expect(field(d, 'Token de API').value).toBe('acme~c5b5aa0b54');
    expect(d.querySelector('.notice')?.textContent).toBe('Copie agora: este token não será mostrado de novo.');
    expect(document.activeElement?.textContent).toBe('Copiar token');
    expect(el.querySelector('tbody')?.textContent).toContain('Caio Prado');
    await click(button(d, 'Concluir'));
    expect(dialog(el)).toBeNull();
    expect(el.textContent).not.toContain('acme~c5b5aa0b54');
    await click(button(el, 'Novo atendente'));
    expect(dialog(el)!.textContent).not.toContain('acme~c5b5aa0b54');
  });

  it('TheAgentsTableShowsRoleTeamsCapacityStatusAndLoad', async () => {
    const { el } = await open('agents');
    const cells = (i: number) => [...el.querySelectorAll(`tbody tr:nth-child(${i}) td`)].slice(1, 6).map((td) => td.textContent?.trim());
    expect(cells(1)).toEqual(['Atendente', 'Vendas', 'da equipe (5)', 'Online', '2']);
    expect(cells(2)).toEqual(['Atendente', 'VendasSuporte', '4', 'Em pausa: Almoço', '0']);
  });

  it('ResettingAnAgentsPasswordSendsOnlyTheNewPassword', async () => {
    const { el, calls } = await open('agents');
    await click(rowButton(el, 'Editar Ana'));
    const d = dialog(el)!;
    expect(d.querySelector('input[type=password]')).toBeNull();
    await click(button(d, 'Redefinir senha'));
    await type(field(d, 'Nova senha'), 'outra-senha-123');
    await submit(d.querySelector('form'));
    expect(writes(calls)).toEqual([{ method: 'PATCH', path: '/v1/agents/ana', body: { password: 'outra-senha-123' } }]);
  });

  it('AChannelsSecretsAreKeptWhenBlankAndRemovedWithNull', async () => {
    const { el, calls } = await open('channels');
    const credentials = el.querySelector('tbody .credentials')!.textContent;
    expect(credentials).toBe('Token de acessoconfiguradoApp secretnão configurado');
    await click(rowButton(el, 'Editar Loja'));
    let d = dialog(el)!;
    expect(field(d, 'Token de acesso').type).toBe('password');
    expect(field(d, 'Token de acesso').value).toBe('');
    await type(field(d, 'Nome'), 'Loja Centro');
    await submit(d.querySelector('form'));
    await click(rowButton(el, 'Editar Loja Centro'));
    d = dialog(el)!;
    await click(d.querySelector('.field-remove_access_token input'));
    await type(field(d, 'App secret'), 's3cr3t');
    await submit(d.querySelector('form'));
    expect(writes(calls)).toEqual([
      { method: 'PATCH', path: '/v1/channels/wa1', body: { name: 'Loja Centro' } },
      { method: 'PATCH', path: '/v1/channels/wa1', body: { access_token: null, app_secret: 's3cr3t' } },
    ]);
  });

  it('TheChannelsHealthShowsTheWebhookUrlTheVerifyTokenRuleAndAbsentCountsAsDashes', async () => {
    const health = { webhook_errors: { '131051': 2 }, last_webhook_error: { code: '131051', title: 'Unsupported message type', at: '2026-11-21T11:58:00.000Z' }, accepted: 12, failed: {}, last_error: null };
    const { el, calls } = await open('channels', setup({ channel: { health } }));
    await click(rowButton(el, 'Saúde Loja'));
    const d = dialog(el)!;
    expect(calls.at(-1)).toEqual({ method: 'GET', path: '/v1/channels/wa1' });
    expect(d.querySelector('h2')?.textContent).toBe('Canal Loja: webhook e saúde');
    expect(field(d, 'URL de retorno (Callback URL)').value).toBe(`${location.origin}/v1/webhooks/whatsapp`);
    expect(d.textContent).toContain('ATENDE_WHATSAPP_VERIFY_TOKEN');
    expect(d.textContent).toContain('A API não mostra esse valor');
    const row = (label: string) => [...d.querySelectorAll('.health-table tr')].find((tr) => tr.querySelector('th')?.textContent === label)?.querySelector('td')?.textContent;
    expect(row('Erros informados pela Meta, por código')).toBe('131051: 2');
    expect(row('Último erro informado')).toContain('131051 Unsupported message type');
    expect(row('Envios aceitos')).toBe('12');
    expect(row('Envios com falha, por código')).toBe('0');
    expect(row('Último erro de envio')).toBe('nenhum');
    expect(row('Novas tentativas')).toBe('—');
    expect(row('Baixadas')).toBe('—');
    await click(button(d, 'Fechar'));
    expect(dialog(el)).toBeNull();
  });

  it('APauseTypesTimeGoesAsHHMMAndClearingItSendsNull', async () => {
    const { el, calls } = await open('pause-types');
    expect(el.querySelector('tbody tr')?.textContent).toContain('a partir das 11:00');
    await click(button(el, 'Nova pausa'));
    let d = dialog(el)!;
    await type(field(d, 'Nome'), 'Café');
    await type(field(d, 'Duração máxima (minutos)'), '15');
    await submit(d.querySelector('form'));
    await click(rowButton(el, 'Editar Almoço'));
    d = dialog(el)!;
    expect(field(d, 'Pode começar a partir de').value).toBe('11:00');
    await click(button(d, 'A qualquer hora'));
    await type(field(d, 'Duração máxima (minutos)'), '45');
    await submit(d.querySelector('form'));
    expect(writes(calls)).toEqual([
      { method: 'POST', path: '/v1/pause-types', body: { name: 'Café', max_minutes: 15 } },
      { method: 'PATCH', path: '/v1/pause-types/lunch', body: { max_minutes: 45, allowed_from: null } },
    ]);
    expect(el.querySelector('tbody tr')?.textContent).toContain('a qualquer hora');
  });

  it('TemplatesShowTheirStatusInWordsAndAPreviewAndAnEditSendsOnlyBodyAndStatus', async () => {
    const { el, calls } = await open('templates');
    const pills = [...el.querySelectorAll('.status-pill')].map((p) => p.textContent);
    expect(pills).toEqual(['Aprovado', 'Em análise']);
    expect(el.querySelector('tbody .template-param')?.textContent).toBe('{{1}}');
    await click(rowButton(el, 'Editar promo (pt_BR)'));
    const d = dialog(el)!;
    expect(field(d, 'Nome na Meta').disabled).toBe(true);
    await type(field(d, 'Texto'), 'Oferta para {{1}}');
    expect(d.querySelector('.template-bubble')?.textContent).toBe('Oferta para {{1}}');
    await choose(field(d, 'Situação'), 'approved');
    await submit(d.querySelector('form'));
    expect(writes(calls)).toEqual([{ method: 'PATCH', path: '/v1/templates/tp2', body: { body: 'Oferta para {{1}}', status: 'approved' } }]);
  });

  it('AReasonIsCreatedWithItsName', async () => {
    const { el, calls } = await open('reasons');
    await click(button(el, 'Novo motivo'));
    const d = dialog(el)!;
    await type(field(d, 'Nome'), 'Dúvida resolvida');
    await submit(d.querySelector('form'));
    expect(writes(calls)).toEqual([{ method: 'POST', path: '/v1/reasons', body: { name: 'Dúvida resolvida' } }]);
    expect([...el.querySelectorAll('tbody .record-name')].map((x) => x.textContent)).toEqual(['Venda realizada', 'Dúvida resolvida']);
  });
});
