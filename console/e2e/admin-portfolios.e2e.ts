import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe } from 'vitest';
import { DESKTOP, LIVE_TIMEOUT_MS, PHONE, visit } from './support/browser';
import { expect, test } from './support/fixtures';

// Administration: portfolios (carteiras) with their business hours and
// contacts, and the contacts screen with its CSV import.

/** Opens an administration screen as an admin does: the top bar, then the menu. */
async function openAdmin(page: Page, screen: 'Carteiras' | 'Contatos'): Promise<void> {
  await page.getByRole('link', { name: 'Administração' }).click();
  await page.getByRole('navigation', { name: 'Administração' }).getByRole('link', { name: screen, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: screen }).waitFor();
}

/** São Paulo's time of day now, in minutes. */
function saoPauloMinutes(): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'America/Sao_Paulo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date());
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return n('hour') * 60 + n('minute');
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * Two periods a day with a lunch break between them, chosen so that the
 * portfolio is open now in São Paulo, and stays open for the rest of the
 * test: the office's 08:00–12:00 and 13:00–18:00 when now is well inside
 * one of them, otherwise periods around now with the break hours away.
 */
function hoursOpenNow(): [[string, string], [string, string]] {
  const now = saoPauloMinutes();
  const inside = (from: number, to: number) => now >= from && now <= to - 30;
  if (inside(8 * 60, 12 * 60) || inside(13 * 60, 18 * 60)) {
    return [
      ['08:00', '12:00'],
      ['13:00', '18:00'],
    ];
  }
  const h = Math.floor(now / 60);
  if (h <= 19) {
    return [
      ['00:00', hhmm((h + 3) * 60)],
      [hhmm((h + 4) * 60), '24:00'],
    ];
  }
  return [
    ['00:00', '12:00'],
    ['13:00', '24:00'],
  ];
}

describe('administration: portfolios and contacts', () => {
  test('AnAdminBuildsAPortfolioWithHoursAndTaggedContactsAndOnlyItsOwnersSeeItsContactWaiting', async ({ tenant, agentPage }) => {
    await tenant.team('carteiras', 'Carteiras', { distribution: 'contact_group' });
    await tenant.channel('wa-vendas', 'Vendas', '5511999990000', 'carteiras');
    const chefe = await tenant.agent('chefe', 'Chefe', [], { role: 'admin' });
    await tenant.agent('ana', 'Ana Lima', ['carteiras']);
    const bia = await tenant.agent('bia', 'Bia Costa', ['carteiras']);
    const caio = await tenant.agent('caio', 'Caio Dias', ['carteiras']);
    const contacts = [
      ['maria', 'Maria Souza', '5531988887777', ['vip']],
      ['pedro', 'Pedro Alves', '5521987650002', ['vip', 'b2b']],
      ['carla', 'Carla Dias', '5531987650003', ['vip']],
      ['joao', 'João Pereira', '5511987650001', ['lead']],
      ['lucia', 'Lúcia Prado', '5511987650004', ['lead']],
    ] as const;
    for (const [id, name, phone, tags] of contacts) {
      await tenant.admin.post('/v1/contacts', { id, name, phone, tags });
    }
    const office = [
      ['08:00', '12:00'],
      ['13:00', '18:00'],
    ];
    const officeHours = { week: { mon: office, tue: office, wed: office, thu: office, fri: office, sat: [['08:00', '12:00']] } };
    await tenant.admin.post('/v1/portfolios', { id: 'prata', name: 'Clientes Prata', code: 'PRATA', responsible: 'caio', members: ['ana'], hours: officeHours });
    await tenant.admin.post('/v1/portfolios/prata/contacts', { add: ['lucia'] });
    await tenant.admin.post('/v1/portfolios', { id: 'antiga', name: 'Campanha 2025', responsible: 'caio' });

    const { page } = await agentPage(chefe);
    await openAdmin(page, 'Carteiras');
    const table = page.getByRole('table', { name: 'Carteiras' });
    await table.getByRole('row', { name: /Clientes Prata/ }).waitFor();

    // Nova carteira: a code, Ana responsible and Bia a member, business hours with a lunch break.
    await page.getByRole('button', { name: 'Nova carteira' }).click();
    const form = page.getByRole('dialog', { name: 'Nova carteira' });
    await form.getByLabel('Nome', { exact: true }).fill('Clientes Ouro');
    await form.getByLabel('Identificador').fill('ouro');
    await form.getByLabel('Código').fill('OURO');
    await form.getByLabel('Responsável').selectOption({ label: 'Ana Lima' });
    await form.getByRole('group', { name: 'Membros' }).getByLabel('Bia Costa').check();
    await form.getByLabel('Sem horário (sempre aberta)').uncheck();
    const [morning, afternoon] = hoursOpenNow();
    await form.getByRole('button', { name: 'Adicionar período em Segunda' }).click();
    await form.getByLabel('Início do período 1 de Segunda').fill(morning[0]);
    await form.getByLabel('Fim do período 1 de Segunda').fill(morning[1]);
    await form.getByRole('button', { name: 'Adicionar período em Segunda' }).click();
    await form.getByLabel('Início do período 2 de Segunda').fill(afternoon[0]);
    await form.getByLabel('Fim do período 2 de Segunda').fill(afternoon[1]);
    // Whatever day the test runs, it is one of the portfolio's days.
    await form.getByRole('button', { name: 'Copiar segunda para todos os dias' }).click();
    await form.getByLabel('Fuso horário').fill('America/Sao_Paulo');
    expect(await form.getByLabel('Fim do período 2 de Domingo').inputValue()).toBe(afternoon[1]);
    await form.getByRole('button', { name: 'Criar carteira' }).click();
    await form.waitFor({ state: 'detached' });
    const gold = table.getByRole('row', { name: /Clientes Ouro/ });
    await gold.waitFor();
    expect(await gold.textContent()).toContain('0 contatos');
    const week = [morning, afternoon];
    expect(await tenant.admin.get('/v1/portfolios/ouro')).toMatchObject({
      name: 'Clientes Ouro',
      code: 'OURO',
      responsible: 'ana',
      members: ['bia'],
      hours: { timezone: 'America/Sao_Paulo', week: { mon: week, tue: week, wed: week, thu: week, fri: week, sat: week, sun: week } },
    });

    // Another portfolio's form shows its office hours as they are: a lunch break on weekdays, Saturday morning.
    await page.getByRole('button', { name: 'Editar Clientes Prata' }).click();
    const prata = page.getByRole('dialog', { name: 'Editar carteira Clientes Prata' });
    expect(await prata.getByLabel('Fim do período 1 de Sexta').inputValue()).toBe('12:00');
    expect(await prata.getByLabel('Início do período 2 de Sexta').inputValue()).toBe('13:00');
    expect(await prata.getByLabel('Início do período 1 de Sábado').inputValue()).toBe('08:00');
    expect(await prata.getByRole('group', { name: 'Domingo' }).textContent()).toContain('Fechado');
    await prata.getByRole('group', { name: 'Expediente' }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await visit(page, 'admin-portfolio-edit');
    await prata.getByRole('button', { name: 'Cancelar' }).click();
    await prata.waitFor({ state: 'detached' });

    // Its contacts: by tag, counted before they are added.
    await page.getByRole('button', { name: 'Contatos de Clientes Ouro' }).click();
    const dialog = page.getByRole('dialog', { name: 'Contatos da carteira Clientes Ouro' });
    await dialog.getByText('A carteira não tem contatos.').waitFor();
    await dialog.getByLabel('Etiqueta').fill('vip');
    await dialog.getByRole('button', { name: 'Ver quantos' }).click();
    const preview = dialog.getByRole('status');
    await preview.getByText('3 contatos correspondem ao filtro.').waitFor();
    expect(await preview.textContent()).toContain('3 serão adicionados.');
    await visit(page, 'admin-portfolio-contacts');
    await dialog.getByRole('button', { name: 'Adicionar 3 contatos' }).click();
    await preview.getByText('Adicionados: 3. Removidos: 0.').waitFor();
    for (const name of ['Maria Souza', 'Pedro Alves', 'Carla Dias']) {
      await dialog.getByRole('cell', { name, exact: true }).waitFor();
    }
    await dialog.getByRole('heading', { name: '3 contatos na carteira' }).waitFor();
    await dialog.getByRole('button', { name: 'Fechar', exact: true }).last().click();
    await expect.poll(() => gold.textContent()).toContain('3 contatos');
    expect(await gold.textContent()).toContain('Carla Dias, Maria Souza, Pedro Alves');

    // An old portfolio goes: selected, confirmed, its result shown.
    await table.getByRole('row', { name: /Campanha 2025/ }).getByLabel('Selecionar Campanha 2025').check();
    await page.getByRole('button', { name: 'Excluir selecionadas' }).click();
    await page.getByRole('dialog', { name: 'Excluir 1 carteira' }).getByRole('button', { name: 'Excluir', exact: true }).click();
    const result = page.getByRole('dialog', { name: 'Resultado' });
    await result.getByText('1 com sucesso, 0 com erro.').waitFor();
    await result.getByRole('button', { name: 'Fechar', exact: true }).last().click();
    await table.getByRole('row', { name: /Campanha 2025/ }).waitFor({ state: 'detached' });
    expect((await tenant.admin.raw('GET', '/v1/portfolios/antiga')).status).toBe(404);
    await visit(page, 'admin-portfolios');
    await page.setViewportSize(PHONE);
    await visit(page, 'admin-portfolios-mobile');
    await page.setViewportSize(DESKTOP);

    // In the contact-group team, Maria's message waits only for the owners (Ana, Bia): Caio does not see it.
    const b = await agentPage(bia);
    const c = await agentPage(caio);
    for (const { page: p } of [b, c]) {
      await p.getByRole('tab', { name: /Sem Atendente/ }).click();
      await p.getByText('Nenhuma conversa nesta lista.').waitFor();
    }
    const [maria, joao] = await tenant.events([
      { id: 'wamid.m1', type: 'message.received', data: { channel: 'wa-vendas', from: '5531988887777', name: 'Maria Souza', message_id: 'wamid.m1', kind: 'text', text: 'Oi, é a Maria' } },
      { id: 'wamid.j1', type: 'message.received', data: { channel: 'wa-vendas', from: '5511987650001', name: 'João Pereira', message_id: 'wamid.j1', kind: 'text', text: 'Bom dia' } },
    ]);
    await b.page.getByRole('option', { name: /Maria Souza/ }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await b.page.getByRole('option', { name: /João Pereira/ }).waitFor();
    await c.page.getByRole('option', { name: /João Pereira/ }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await c.page.getByRole('option', { name: /Maria Souza/ }).count()).toBe(0);
    expect((await tenant.admin.as(caio.token).raw('GET', `/v1/conversations/${maria!.conversation}`)).status).toBe(404);
    expect((await tenant.admin.as(bia.token).raw('GET', `/v1/conversations/${joao!.conversation}`)).status).toBe(200);
    // Within the portfolio's hours, and nobody online: it waits, not held back by the hours.
    const waiting = await tenant.admin.get(`/v1/conversations/${maria!.conversation}`);
    expect(waiting).toMatchObject({ status: 'waiting', assignee: null, outside_hours: false });
  });

  test('AnImportedFileKeepsItsGoodLinesAndReportsEachBadOneByLine', async ({ tenant, agentPage }) => {
    await tenant.agent('ana', 'Ana Lima', []);
    const chefe = await tenant.agent('chefe', 'Chefe', [], { role: 'admin' });
    await tenant.admin.post('/v1/portfolios', { id: 'ouro', name: 'Clientes Ouro', code: 'OURO', responsible: 'ana' });
    await tenant.admin.post('/v1/contacts', { id: 'maria', name: 'Maria Souza', phone: '5531988887777', tags: ['vip'], stage: 'cliente', departments: ['vendas'], portfolios: ['ouro'] });
    await tenant.admin.post('/v1/contacts', { id: 'pedro', name: 'Pedro Alves', phone: '5521987650002', tags: ['lead'] });

    const { page } = await agentPage(chefe);
    await openAdmin(page, 'Contatos');
    const table = page.getByRole('table', { name: 'Contatos' });
    await table.getByRole('row', { name: /Maria Souza/ }).waitFor();
    expect(await table.getByRole('row', { name: /Maria Souza/ }).textContent()).toContain('+55 (31) 98888-7777');

    // Baixar modelo: the header the import wants and an example.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Baixar modelo' }).click()]);
    expect(download.suggestedFilename()).toBe('modelo-contatos.csv');
    expect(readFileSync(await download.path(), 'utf8').split(/\r?\n/)[0]).toBe('name,phone,tags,portfolios');

    // A file with two bad lines: a phone with letters (line 3) and no name (line 4).
    const csv = [
      'name,phone,tags,portfolios',
      'Lucas Martins,5511976540001,vip,ouro',
      'Fernanda Rocha,55119ABC0002,,',
      ',5511976540003,lead,',
      'Rafael Gomes,5521976540004,lead;b2b,',
    ].join('\n');
    await page.getByRole('button', { name: 'Importar CSV' }).click();
    const dialog = page.getByRole('dialog', { name: 'Importar contatos' });
    await dialog.getByLabel('Arquivo CSV').setInputFiles({ name: 'clientes.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await dialog.getByRole('button', { name: 'Importar', exact: true }).click();
    await dialog.getByRole('status').getByText('2 contatos criados').waitFor();
    const report = dialog.getByRole('table', { name: 'Linhas recusadas' });
    const lines = await report.locator('tbody tr').evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.querySelector('code')?.textContent ?? td.textContent)));
    expect(lines.map((l) => l.slice(0, 3))).toEqual([
      ['3', 'invalid_phone', 'phone'],
      ['4', 'invalid_value', 'name'],
    ]);
    await visit(page, 'admin-contacts-import');
    await dialog.getByRole('button', { name: 'Fechar', exact: true }).last().click();

    // The good lines are contacts now, Lucas in the portfolio the file named.
    await table.getByRole('row', { name: /Lucas Martins/ }).waitFor();
    await table.getByRole('row', { name: /Rafael Gomes/ }).waitFor();
    expect(await table.getByRole('row', { name: /Lucas Martins/ }).textContent()).toContain('Clientes Ouro');
    expect(await table.getByRole('row').count()).toBe(5);
    await visit(page, 'admin-contacts');

    // Search by number, then edit: tags as a comma-separated list.
    await page.getByLabel('Buscar por número ou nome').fill('5521 97654-0004');
    await page.getByRole('button', { name: 'Buscar', exact: true }).click();
    await expect.poll(() => table.getByRole('row').count()).toBe(2);
    await table.getByRole('button', { name: 'Editar Rafael Gomes' }).click();
    const edit = page.getByRole('dialog', { name: 'Editar contato Rafael Gomes' });
    await edit.getByLabel('Etiquetas').fill('lead, b2b, vip');
    await edit.getByLabel('Clientes Ouro').check();
    await edit.getByRole('button', { name: 'Salvar' }).click();
    await edit.waitFor({ state: 'detached' });
    expect(await table.getByRole('row', { name: /Rafael Gomes/ }).textContent()).toContain('lead, b2b, vip');
    const [rafael] = (await tenant.admin.get('/v1/contacts?phone=5521976540004')).items;
    expect(rafael).toMatchObject({ tags: ['lead', 'b2b', 'vip'], portfolios: ['ouro'] });
    await page.setViewportSize(PHONE);
    await visit(page, 'admin-contacts-mobile');
  });
});
