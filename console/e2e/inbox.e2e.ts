import { describe } from 'vitest';
import { checkA11y, visit } from './support/browser';
import { expect, test } from './support/fixtures';

// The inbox: bulk actions on a selection, and who sees what.

describe('inbox', () => {
  test('ABulkTransferShowsEachConversationsOwnResult', async ({ tenant, agentPage }) => {
    await tenant.team('suporte', 'Suporte');
    await tenant.channel('wa-vendas', 'Vendas', '5511999990000', 'suporte');
    const ana = await tenant.agent('ana', 'Ana Lima', ['suporte']);
    // Bia can take two more conversations: the third of three must fail.
    await tenant.agent('bia', 'Bia Costa', ['suporte'], { max_concurrent: 2 });
    const asAna = tenant.admin.as(ana.token);
    const customers = [
      ['5511987650001', 'João Pereira', 'Quero trocar o tamanho do tênis'],
      ['5521987650002', 'Pedro Alves', 'Meu pedido não chegou'],
      ['5531987650003', 'Carla Dias', 'Vocês entregam em Contagem?'],
    ] as const;
    const ids: string[] = [];
    for (const [phone, name, text] of customers) {
      const id = await tenant.customerWrites('wa-vendas', phone, name, text);
      await asAna.post(`/v1/conversations/${id}/assign`, {});
      ids.push(id);
    }

    const { page } = await agentPage(ana);
    await page.getByRole('tab', { name: /Meus/ }).click();
    for (const [, name] of customers) {
      await page.getByRole('option', { name: new RegExp(name) }).waitFor();
    }
    await page.getByRole('button', { name: 'Selecionar' }).click();
    for (const [, name] of customers) {
      await page.getByRole('option', { name: new RegExp(name) }).click();
    }
    const bar = page.getByRole('region', { name: 'Ações em massa' });
    await bar.getByText('3 selecionadas').waitFor();
    await visit(page, 'bulk-selection');

    await bar.getByRole('button', { name: 'Transferir' }).click();
    const dialog = page.getByRole('dialog', { name: 'Transferir 3 conversas' });
    await dialog.getByRole('combobox', { name: /^Atendente/ }).selectOption({ value: 'bia' });
    await checkA11y(page, 'bulk-transfer');
    await dialog.getByRole('button', { name: 'Transferir' }).click();

    const results = page.getByRole('dialog', { name: 'Resultado' });
    await results.getByText('2 com sucesso, 1 com erro.').waitFor();
    const rows = results.locator('li');
    expect(await rows.count()).toBe(3);
    expect(await results.locator('li.ok').allTextContents()).toEqual(['João PereiraFeito', 'Pedro AlvesFeito']);
    const failed = results.locator('li.failed');
    expect(await failed.locator('.bulk-name').textContent()).toBe('Carla Dias');
    const third = await asAna.raw('POST', `/v1/conversations/${ids[2]}/transfer`, { agent: 'bia' });
    expect(third.status).toBe(409);
    expect(await failed.locator('.error-lead').textContent()).toBe('O atendente já está no limite de conversas.');
    expect(await failed.locator('.error-detail').textContent()).toBe(third.body.error.message);
    await visit(page, 'bulk-results');

    await results.getByRole('button', { name: 'Fechar', exact: true }).last().click();
    await page.getByRole('option', { name: /Carla Dias/ }).waitFor();
    await expect.poll(() => page.getByRole('listbox', { name: 'Conversas' }).getByRole('option').count()).toBe(1);
    const assignees = await Promise.all(ids.map(async (id) => (await tenant.admin.get(`/v1/conversations/${id}`)).assignee));
    expect(assignees).toEqual(['bia', 'bia', 'ana']);
  });

  test('AWaitingConversationOfAPortfolioContactIsSeenOnlyByItsOwner', async ({ tenant, agentPage }) => {
    await tenant.team('carteiras', 'Carteiras', { distribution: 'contact_group' });
    await tenant.channel('wa-vendas', 'Vendas', '5511999990000', 'carteiras');
    const ana = await tenant.agent('ana', 'Ana Lima', ['carteiras']);
    const bia = await tenant.agent('bia', 'Bia Costa', ['carteiras']);
    await tenant.admin.post('/v1/portfolios', { id: 'ouro', name: 'Clientes Ouro', responsible: 'ana', members: [] });
    await tenant.admin.post('/v1/contacts', { id: 'maria', name: 'Maria Souza', phone: '5531988887777', portfolios: ['ouro'] });

    const a = await agentPage(ana);
    const b = await agentPage(bia);
    for (const { page } of [a, b]) {
      await page.getByRole('tab', { name: /Sem Atendente/ }).click();
      await page.getByText('Nenhuma conversa nesta lista.').waitFor();
    }

    // Maria (in Ana's portfolio) and João (in none) write, in one delivery.
    const [maria, joao] = await tenant.events([
      { id: 'wamid.m1', type: 'message.received', data: { channel: 'wa-vendas', from: '5531988887777', name: 'Maria Souza', message_id: 'wamid.m1', kind: 'text', text: 'Oi Ana, é a Maria' } },
      { id: 'wamid.j1', type: 'message.received', data: { channel: 'wa-vendas', from: '5511987650001', name: 'João Pereira', message_id: 'wamid.j1', kind: 'text', text: 'Bom dia' } },
    ]);

    // Ana sees both; Bia sees João's (a contact in no portfolio waits for any team agent), never Maria's.
    await a.page.getByRole('option', { name: /Maria Souza/ }).waitFor({ timeout: 15_000 });
    await a.page.getByRole('option', { name: /João Pereira/ }).waitFor();
    await b.page.getByRole('option', { name: /João Pereira/ }).waitFor({ timeout: 15_000 });
    expect(await b.page.getByRole('option', { name: /Maria Souza/ }).count()).toBe(0);
    expect(await a.page.getByRole('tab', { name: /Sem Atendente/ }).textContent()).toBe('Sem Atendente2');
    expect(await b.page.getByRole('tab', { name: /Sem Atendente/ }).textContent()).toBe('Sem Atendente1');
    await checkA11y(a.page, 'inbox (owner)');
    await checkA11y(b.page, 'inbox (not owner)');
    expect((await tenant.admin.as(bia.token).raw('GET', `/v1/conversations/${maria!.conversation}`)).status).toBe(404);
    expect((await tenant.admin.as(bia.token).raw('GET', `/v1/conversations/${joao!.conversation}`)).status).toBe(200);

    // Ana takes it.
    await a.page.getByRole('option', { name: /Maria Souza/ }).click();
    await a.page.getByRole('button', { name: 'Assumir' }).click();
    await a.page.locator('.conversation-state').getByText('Atendente: Ana Lima').waitFor();
    expect((await tenant.admin.get(`/v1/conversations/${maria!.conversation}`)).assignee).toBe('ana');
  });

  test('AfterAServerRestartTheStreamReconnectsAndResumes', async ({ server, tenant, agentPage }) => {
    await tenant.team('suporte', 'Suporte');
    await tenant.channel('wa-vendas', 'Vendas', '5511999990000', 'suporte');
    const ana = await tenant.agent('ana', 'Ana Lima', ['suporte']);
    await tenant.customerWrites('wa-vendas', '5511987650001', 'João Pereira', 'Bom dia');
    const { page } = await agentPage(ana);
    await page.getByRole('option', { name: /João Pereira/ }).waitFor();
    const indicator = page.locator('.live');
    await expect.poll(() => indicator.textContent(), { timeout: 15_000 }).toContain('Ao vivo');
    // The page must follow without a reload: a mark left in it survives.
    await page.evaluate(() => ((window as unknown as { mark: number }).mark = 42));

    await server.restart();
    // Written before the console can have reconnected: the stream resumes
    // from its last position, so it still arrives.
    await tenant.customerWrites('wa-vendas', '5521987650002', 'Pedro Alves', 'Meu pedido não chegou');
    await page.getByRole('option', { name: /Pedro Alves/ }).waitFor({ timeout: 30_000 });
    await expect.poll(() => indicator.textContent(), { timeout: 30_000 }).toContain('Ao vivo');
    await tenant.customerWrites('wa-vendas', '5531988887777', 'Maria Souza', 'Oi');
    await page.getByRole('option', { name: /Maria Souza/ }).waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByRole('tab', { name: /Todos/ }).textContent()).toBe('Todos3');
    expect(await page.evaluate(() => (window as unknown as { mark: number }).mark)).toBe(42);
  });
});
