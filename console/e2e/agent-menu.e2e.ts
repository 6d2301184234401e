import { describe } from 'vitest';
import { visit } from './support/browser';
import { laterTodayIn, TENANT_TIMEZONE } from './support/clock';
import { expect, test } from './support/fixtures';

// The agent menu: availability and pauses (Pausas).

const TIMEZONE = TENANT_TIMEZONE;

describe('agent menu', () => {
  test('APauseBeforeItsAllowedTimeIsRefusedWithTheApisReason', async ({ tenant, agentPage, skip }) => {
    const later = laterTodayIn(TIMEZONE);
    // In the day's last minute no later time exists today.
    skip(later.now >= 23 * 60 + 59, 'it is 23:59 in São Paulo: no later time of day to test with');
    await tenant.team('suporte', 'Suporte');
    const ana = await tenant.agent('ana', 'Ana Lima', ['suporte']);
    await tenant.admin.post('/v1/pause-types', { id: 'almoco', name: 'Almoço', max_minutes: 60, allowed_from: later.at });
    await tenant.admin.post('/v1/pause-types', { id: 'cafe', name: 'Café', max_minutes: 15, allowed_from: null });
    // What the API says to this pause now (a refused pause changes nothing).
    const refused = await tenant.admin.as(ana.token).raw('POST', '/v1/agents/me/pause', { type: 'almoco' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('pause_not_allowed_yet');

    const { page } = await agentPage(ana);
    await page.locator('.agent-menu-button').click();
    const menu = page.getByRole('dialog', { name: 'Menu do atendente' });
    await menu.getByRole('button', { name: /Almoço/ }).waitFor();
    expect(await menu.getByRole('button', { name: /Almoço/ }).textContent()).toBe(`Almoçomáx. 60 min · a partir das ${later.at}`);
    await menu.getByText('Online', { exact: true }).click();
    await expect.poll(() => menu.getByRole('radio', { name: 'Online' }).isChecked()).toBe(true);

    await menu.getByRole('button', { name: /Almoço/ }).click();
    const alert = menu.getByRole('alert');
    await alert.waitFor();
    // In the agent's language, with the API's own message after it.
    expect(await alert.locator('.error-lead').textContent()).toBe('Esta pausa ainda não pode começar.');
    expect(await alert.locator('.error-detail').textContent()).toBe(refused.body.error.message);
    await visit(page, 'agent-menu');

    // A pause with no earliest time starts at once, and ends.
    await menu.getByRole('button', { name: /Café/ }).click();
    await menu.getByText('Em pausa: Café há 0 min · máx. 15 min').waitFor();
    expect(await menu.getByRole('alert').count()).toBe(0);
    const board = await tenant.admin.get('/v1/agents/ana');
    expect(board.pause).toMatchObject({ type: 'cafe', overdue: false });
    await menu.getByRole('button', { name: 'Encerrar pausa' }).click();
    await menu.getByRole('button', { name: /Café/ }).waitFor();
    expect((await tenant.admin.get('/v1/agents/ana')).pause).toBeNull();
  });

  test('SairEndsTheSession', async ({ tenant, agentPage }) => {
    await tenant.team('suporte', 'Suporte');
    const ana = await tenant.agent('ana', 'Ana Lima', ['suporte']);
    const { page, via } = await agentPage(ana);
    const session = await page.evaluate(() => JSON.parse(sessionStorage.getItem('atende.session') ?? 'null') as { token: string; via: string });
    expect(session.via).toBe(via);
    expect((await tenant.admin.as(session.token).raw('GET', '/v1/agents/ana')).status).toBe(200);

    await page.locator('.agent-menu-button').click();
    await page.getByRole('dialog', { name: 'Menu do atendente' }).getByRole('button', { name: 'Sair' }).click();
    await page.getByRole('heading', { name: 'Entrar no atendimento' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('atende.session'))).toBeNull();
    // A password session ends on the server too; a pasted API token is only forgotten here.
    const after = await tenant.admin.as(session.token).raw('GET', '/v1/agents/ana');
    expect(after.status).toBe(via === 'password' ? 401 : 200);
  });
});
