import { describe } from 'vitest';
import { visit } from './support/browser';
import { expect, test } from './support/fixtures';

// The supervisors' board: agents and waiting conversations, live.

describe('supervisors board', () => {
  test('ASupervisorSeesAnOverduePauseHighlightedLive', async ({ tenant, agentPage }) => {
    await tenant.team('suporte', 'Suporte', { max_per_agent: 3 });
    await tenant.channel('wa-vendas', 'Vendas', '5511999990000', 'suporte');
    await tenant.admin.post('/v1/pause-types', { id: 'cafe', name: 'Café', max_minutes: 15, allowed_from: null });
    const ana = await tenant.agent('ana', 'Ana Lima', ['suporte']);
    await tenant.agent('bia', 'Bia Costa', ['suporte']);
    const chefe = await tenant.agent('chefe', 'Carla Chefe', [], { role: 'admin' });

    const { page } = await agentPage(chefe);
    // The browser's clock is the test's: the pause's minutes pass when the test says so.
    await page.clock.install();
    await page.reload();
    await page.getByRole('link', { name: 'Administração' }).click();
    const agents = page.getByRole('table', { name: 'Atendentes' });
    const anaRow = agents.getByRole('row', { name: /Ana Lima/ });
    await anaRow.waitFor();
    expect(await anaRow.textContent()).toContain('0 / 3');

    // Ana goes online and takes a coffee break: the board follows at once.
    const asAna = tenant.admin.as(ana.token);
    await asAna.post('/v1/agents/me/status', { status: 'online' });
    await asAna.post('/v1/agents/me/pause', { type: 'cafe' });
    await expect.poll(() => anaRow.textContent(), { timeout: 15_000 }).toContain('Café há 0 min');
    expect((await anaRow.getAttribute('class')) ?? '').not.toContain('overdue');

    // A customer writes: the team's waiting list shows it, a link to the conversation.
    await tenant.customerWrites('wa-vendas', '5511987650001', 'João Pereira', 'Bom dia');
    const waiting = page.getByRole('table', { name: 'Aguardando atendimento por equipe' });
    await waiting.getByRole('link', { name: 'João Pereira' }).waitFor({ timeout: 15_000 });
    expect(await waiting.getByRole('row', { name: /Suporte/ }).textContent()).toContain('1');

    // Sixteen minutes later the fifteen-minute break is overdue, highlighted and first.
    await page.clock.fastForward('16:00');
    await expect.poll(() => anaRow.textContent()).toContain('Pausa excedida');
    expect(await anaRow.getAttribute('class')).toContain('overdue');
    expect(await agents.getByRole('row').nth(1).textContent()).toContain('Ana Lima');
    await visit(page, 'admin-board');

    // From the board the supervisor opens the waiting conversation.
    await waiting.getByRole('link', { name: 'João Pereira' }).click();
    await page.getByRole('heading', { name: 'João Pereira', level: 2 }).waitFor();
  });
});
