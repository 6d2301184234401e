import { createHmac } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe } from 'vitest';
import { DESKTOP, PHONE, visit } from './support/browser';
import { laterTodayIn, TENANT_TIMEZONE } from './support/clock';
import { expect, test } from './support/fixtures';

// The administrators' configuration screens (Administração › Configurações):
// what an admin creates there is what the API holds and what the agents'
// consoles use.

/** From the inbox: the top bar's "Administração", then the section in the menu. */
async function openSettings(page: Page, section: string): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Administração' });
  if (!(await nav.isVisible())) {
    await page.getByRole('link', { name: 'Administração' }).click();
  }
  await nav.getByRole('link', { name: section, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: section }).waitFor();
}

describe('admin settings', () => {
  test('APauseTypeCreatedByTheAdminIsRefusedToAnAgentBeforeItsTime', async ({ tenant, agentPage, skip }) => {
    const later = laterTodayIn(TENANT_TIMEZONE);
    // In the day's last minute no later time exists today.
    skip(later.now >= 23 * 60 + 59, 'it is 23:59 in São Paulo: no later time of day to test with');
    await tenant.team('suporte', 'Suporte');
    const ana = await tenant.agent('ana', 'Ana Lima', ['suporte']);
    const chefe = await tenant.agent('chefe', 'Chefe', [], { role: 'admin' });

    const { page } = await agentPage(chefe);
    await openSettings(page, 'Pausas');
    await page.getByText('Nenhum tipo de pausa ainda.').waitFor();
    await page.getByRole('button', { name: 'Nova pausa' }).click();
    const form = page.getByRole('dialog', { name: 'Nova pausa' });
    await form.getByRole('textbox', { name: 'Nome', exact: true }).fill('Almoço');
    await form.getByLabel('Duração máxima (minutos)').fill('60');
    await form.getByLabel('Pode começar a partir de').fill(later.at);
    await visit(page, 'admin-settings-pause-type-form');
    await form.getByRole('button', { name: 'Criar' }).click();
    await form.waitFor({ state: 'detached' });
    const row = page.getByRole('row', { name: /Almoço/ });
    await row.waitFor();
    expect(await row.getByRole('cell').nth(1).textContent()).toBe('60 min');
    expect(await row.getByRole('cell').nth(2).textContent()).toBe(`a partir das ${later.at}`);

    // The server chose the id; the fields are as typed.
    const { items } = await tenant.admin.get('/v1/pause-types');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ name: 'Almoço', max_minutes: 60, allowed_from: later.at });
    expect(items[0].id).toMatch(/^pt_/);

    // A second, shorter pause without a time rule, for the picture.
    await page.getByRole('button', { name: 'Nova pausa' }).click();
    const cafe = page.getByRole('dialog', { name: 'Nova pausa' });
    await cafe.getByRole('textbox', { name: 'Nome', exact: true }).fill('Café');
    await cafe.getByLabel('Duração máxima (minutos)').fill('15');
    await cafe.getByLabel('Identificador').fill('cafe');
    await cafe.getByRole('button', { name: 'Criar' }).click();
    await page.getByRole('row', { name: /Café/ }).waitFor();
    expect(await tenant.admin.get('/v1/pause-types/cafe')).toMatchObject({ name: 'Café', max_minutes: 15, allowed_from: null });
    await visit(page, 'admin-settings-pause-types');

    // The agent, in its own browser, tries it now: refused with the server's reason.
    const agent = await agentPage(ana);
    await agent.page.locator('.agent-menu-button').click();
    const menu = agent.page.getByRole('dialog', { name: 'Menu do atendente' });
    await menu.getByRole('button', { name: /Almoço/ }).click();
    const alert = menu.getByRole('alert');
    await alert.waitFor();
    expect(await alert.locator('.error-lead').textContent()).toBe('Esta pausa ainda não pode começar.');
    expect((await tenant.admin.get('/v1/agents/ana')).pause).toBeNull();
  });

  test('AnAdminCreatesATeamAndAnAgentWhoseTokenIsShownOnce', async ({ server, tenant, agentPage }) => {
    await tenant.team('suporte', 'Suporte', { distribution: 'least_busy', max_per_agent: 4 });
    const chefe = await tenant.agent('chefe', 'Chefe', [], { role: 'admin' });
    await tenant.agent('ana', 'Ana Lima', ['suporte']);
    const { page, context } = await agentPage(chefe);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });

    // A team, with the id typed: first one that exists, refused with the API's words; what was typed stays.
    await openSettings(page, 'Equipes');
    await page.getByRole('button', { name: 'Nova equipe' }).click();
    let form = page.getByRole('dialog', { name: 'Nova equipe' });
    await form.getByRole('textbox', { name: 'Nome', exact: true }).fill('Vendas');
    await form.getByLabel('Distribuição').selectOption({ label: 'Rodízio' });
    await form.getByLabel('Capacidade por atendente').fill('3');
    await form.getByLabel('Motivo obrigatório').check();
    await form.getByLabel('Identificador').fill('suporte');
    await form.getByRole('button', { name: 'Criar' }).click();
    const refusal = form.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.locator('.error-lead').textContent()).toBe('Já existe.');
    expect(await form.getByLabel('Identificador').getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByRole('textbox', { name: 'Nome', exact: true }).inputValue()).toBe('Vendas');
    expect(await form.getByLabel('Capacidade por atendente').inputValue()).toBe('3');
    await visit(page, 'admin-settings-team-refused');
    await form.getByLabel('Identificador').fill('vendas');
    await form.getByRole('button', { name: 'Criar' }).click();
    await form.waitFor({ state: 'detached' });
    await page.getByRole('row', { name: /Vendas/ }).waitFor();
    expect(await tenant.admin.get('/v1/teams/vendas')).toEqual({ id: 'vendas', name: 'Vendas', distribution: 'round_robin', max_per_agent: 3, require_reason: true });
    expect(await tenant.admin.get('/v1/teams/suporte')).toMatchObject({ name: 'Suporte', distribution: 'least_busy' });

    // Editar sends only what changed; the focus comes back to the row's button.
    await page.getByRole('button', { name: 'Editar Vendas' }).click();
    form = page.getByRole('dialog', { name: 'Editar equipe: Vendas' });
    await form.getByLabel('Capacidade por atendente').fill('6');
    await form.getByRole('button', { name: 'Salvar' }).click();
    await form.waitFor({ state: 'detached' });
    expect(await page.getByRole('button', { name: 'Editar Vendas' }).evaluate((b) => b === document.activeElement)).toBe(true);
    expect(await tenant.admin.get('/v1/teams/vendas')).toMatchObject({ max_per_agent: 6, distribution: 'round_robin' });
    await page.getByRole('cell', { name: '6', exact: true }).waitFor();
    await visit(page, 'admin-settings-teams');

    // An agent in the new team, with a login and a first password.
    await openSettings(page, 'Atendentes');
    await page.getByRole('row', { name: /Ana Lima/ }).waitFor();
    await page.getByRole('button', { name: 'Novo atendente' }).click();
    form = page.getByRole('dialog', { name: 'Novo atendente' });
    await form.getByRole('textbox', { name: 'Nome', exact: true }).fill('Bia Souza');
    await form.getByRole('checkbox', { name: 'Vendas' }).check();
    await form.getByLabel('Capacidade própria').fill('2');
    await form.getByLabel('Usuário').fill('bia.souza');
    await form.getByLabel('Senha').fill('senha-da-bia-1');
    await visit(page, 'admin-settings-agent-form');
    await form.getByRole('button', { name: 'Criar' }).click();

    const tokenDialog = page.getByRole('dialog', { name: 'Token de API de Bia Souza' });
    await tokenDialog.waitFor();
    const token = await tokenDialog.getByLabel('Token de API').inputValue();
    expect(token).toMatch(/^acme~[0-9a-f]{64}$/);
    expect(await tokenDialog.locator('.notice').textContent()).toBe('Copie agora: este token não será mostrado de novo.');
    await tokenDialog.getByRole('button', { name: 'Copiar token' }).click();
    await tokenDialog.getByText('Copiado.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await visit(page, 'admin-settings-agents');

    // The token is the agent's; the record is as typed; the password signs in.
    const me = await tenant.admin.as(token).get('/v1/agents/me');
    expect(me).toMatchObject({ name: 'Bia Souza', role: 'agent', teams: ['vendas'], max_concurrent: 2 });
    expect(me.id).toMatch(/^ag_/);
    expect(await tenant.admin.get(`/v1/agents/${me.id}`)).toMatchObject({ login: 'bia.souza', has_password: true });
    const signIn = await fetch(`${server.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ tenant: tenant.id, login: 'bia.souza', password: 'senha-da-bia-1' }),
    });
    expect(signIn.status).toBe(201);

    // Once closed, the token is nowhere on the page.
    await tokenDialog.getByRole('button', { name: 'Concluir' }).click();
    await tokenDialog.waitFor({ state: 'detached' });
    const bia = page.getByRole('row', { name: /Bia Souza/ });
    await bia.waitFor();
    expect(await page.content()).not.toContain(token);
    expect(await bia.getByRole('cell').nth(2).textContent()).toBe('Vendas');

    // On a phone each agent is a card.
    await page.setViewportSize(PHONE);
    await visit(page, 'admin-settings-agents-mobile');
    await page.setViewportSize(DESKTOP);
  });

  test('AChannelShowsTheWebhookToPasteAtMetaAndItsHealth', async ({ server, tenant, agentPage }) => {
    await tenant.team('suporte', 'Suporte');
    await tenant.channel('outro', 'Site', '5511911112222', 'suporte');
    const chefe = await tenant.agent('chefe', 'Chefe', [], { role: 'admin' });
    const { page } = await agentPage(chefe);

    await openSettings(page, 'Canais');
    await page.getByRole('button', { name: 'Novo canal' }).click();
    const form = page.getByRole('dialog', { name: 'Novo canal' });
    await form.getByRole('textbox', { name: 'Nome', exact: true }).fill('Loja Centro');
    await form.getByLabel('Número da empresa').fill('5511900000000');
    await form.getByLabel('Equipe padrão').selectOption({ label: 'Suporte' });
    await form.getByLabel('ID do número na Meta (phone_number_id)').fill('PN-LOJA');
    await form.getByLabel('Token de acesso').fill('EAAG-token-de-teste');
    await form.getByLabel('App secret').fill('segredo-do-app');
    await visit(page, 'admin-settings-channel-form');
    await form.getByRole('button', { name: 'Criar' }).click();
    await form.waitFor({ state: 'detached' });
    const row = page.getByRole('row', { name: /Loja Centro/ });
    await row.waitFor();
    expect(await row.locator('.credentials').textContent()).toBe('Token de acessoconfiguradoApp secretconfigurado');

    const { items } = await tenant.admin.get('/v1/channels');
    const loja = items.find((c: { name: string }) => c.name === 'Loja Centro');
    expect(loja).toMatchObject({ kind: 'whatsapp', phone: '5511900000000', phone_number_id: 'PN-LOJA', default_team: 'suporte', has_access_token: true, has_app_secret: true, mark_read: false });
    expect(loja.id).toMatch(/^ch_/);
    expect(JSON.stringify(loja)).not.toContain('segredo-do-app');

    // Meta reports an error about the number, signed with the channel's own app secret.
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '310000000000001',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '5511900000000', phone_number_id: 'PN-LOJA' },
                errors: [{ code: 131051, title: 'Unsupported message type', error_data: { details: 'Message type is not currently supported' } }],
              },
            },
          ],
        },
      ],
    });
    const signature = createHmac('sha256', 'segredo-do-app').update(body).digest('hex');
    const hook = await fetch(`${server.url}/v1/webhooks/whatsapp`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': `sha256=${signature}` }, body });
    expect(hook.status).toBe(200);

    await row.getByRole('button', { name: 'Saúde Loja Centro' }).click();
    const details = page.getByRole('dialog', { name: 'Canal Loja Centro: webhook e saúde' });
    expect(await details.getByLabel('URL de retorno (Callback URL)').inputValue()).toBe(`${server.url}/v1/webhooks/whatsapp`);
    await details.getByText('ATENDE_WHATSAPP_VERIFY_TOKEN', { exact: false }).waitFor();
    const health = (label: string) => details.locator('.health-table tr', { has: page.getByRole('rowheader', { name: label, exact: true }) }).locator('td');
    await expect.poll(() => health('Erros informados pela Meta, por código').textContent()).toBe('131051: 1');
    expect(await health('Último erro informado').textContent()).toContain('131051 Unsupported message type (Message type is not currently supported)');
    expect(await health('Envios aceitos').textContent()).toBe('0');
    await visit(page, 'admin-settings-channels');
    await details.locator('.form-actions').getByRole('button', { name: 'Fechar' }).click();

    // Editing with the secret fields blank keeps them; "Remover" clears one.
    await row.getByRole('button', { name: 'Editar Loja Centro' }).click();
    const edit = page.getByRole('dialog', { name: 'Editar canal: Loja Centro' });
    await edit.getByLabel('Remover o token de acesso').check();
    await edit.getByRole('button', { name: 'Salvar' }).click();
    await edit.waitFor({ state: 'detached' });
    expect(await tenant.admin.get(`/v1/channels/${loja.id}`)).toMatchObject({ has_access_token: false, has_app_secret: true, phone_number_id: 'PN-LOJA' });
  });

  test('ReasonsAndTemplatesAreCreatedThroughTheScreens', async ({ tenant, agentPage }) => {
    await tenant.team('suporte', 'Suporte');
    await tenant.channel('loja', 'Loja', '5511900000000', 'suporte');
    await tenant.admin.post('/v1/templates', { id: 'boas-vindas', channel: 'loja', name: 'boas_vindas', language: 'pt_BR', body: 'Olá {{1}}! Como podemos ajudar?', status: 'approved' });
    await tenant.admin.post('/v1/templates', { id: 'promo', channel: 'loja', name: 'promocao_marco', language: 'pt_BR', body: 'Oferta de março para {{1}}.', status: 'rejected' });
    const chefe = await tenant.agent('chefe', 'Chefe', [], { role: 'admin' });
    const { page } = await agentPage(chefe);

    await openSettings(page, 'Motivos');
    for (const name of ['Venda realizada', 'Dúvida resolvida']) {
      await page.getByRole('button', { name: 'Novo motivo' }).click();
      const form = page.getByRole('dialog', { name: 'Novo motivo' });
      await form.getByRole('textbox', { name: 'Nome', exact: true }).fill(name);
      await form.getByRole('button', { name: 'Criar' }).click();
      await page.getByRole('row', { name: new RegExp(name) }).waitFor();
    }
    const reasons = (await tenant.admin.get('/v1/reasons')).items.map((r: { name: string }) => r.name).sort();
    expect(reasons).toEqual(['Dúvida resolvida', 'Venda realizada']);
    await visit(page, 'admin-settings-reasons');

    await openSettings(page, 'Modelos de mensagem');
    await page.getByRole('button', { name: 'Novo modelo' }).click();
    const form = page.getByRole('dialog', { name: 'Novo modelo' });
    await form.getByLabel('Canal').selectOption({ label: 'Loja' });
    await form.getByLabel('Nome na Meta').fill('retomada_atendimento');
    await form.getByLabel('Texto').fill('Oi {{1}}, sobre o pedido {{2}}: podemos continuar?');
    await form.getByLabel('Situação').selectOption({ label: 'Em análise' });
    expect(await form.locator('.template-bubble').textContent()).toBe('Oi {{1}}, sobre o pedido {{2}}: podemos continuar?');
    await visit(page, 'admin-settings-template-form');
    await form.getByRole('button', { name: 'Criar' }).click();
    await form.waitFor({ state: 'detached' });
    const row = page.getByRole('row', { name: /retomada_atendimento/ });
    await row.waitFor();
    expect(await row.locator('.status-pill').textContent()).toBe('Em análise');
    const { items } = await tenant.admin.get('/v1/templates');
    expect(items.find((x: { name: string }) => x.name === 'retomada_atendimento')).toMatchObject({
      channel: 'loja',
      language: 'pt_BR',
      body: 'Oi {{1}}, sobre o pedido {{2}}: podemos continuar?',
      status: 'pending',
    });
    await visit(page, 'admin-settings-templates');
  });
});
