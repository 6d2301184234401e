import { fileURLToPath } from 'node:url';
import type { Locator } from 'playwright-core';
import { describe } from 'vitest';
import type { Tenant } from './support/api';
import { DESKTOP, LIVE_TIMEOUT_MS, PHONE, signIn, visit } from './support/browser';
import { expect, test } from './support/fixtures';

// A conversation from the customer's first message to its finish, and the
// 24-hour window of WhatsApp as the agent meets it.

/** A file of e2e/fixtures (a 240×120 PNG label, a 1.5 s Ogg Opus voice note). */
function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

/** Opens a message's audio and plays it (muted) until it has played 0.2 s. */
async function playVoiceNote(message: Locator): Promise<{ duration: number; time: number }> {
  await message.getByRole('button', { name: 'Abrir' }).click();
  const player = message.locator('audio');
  await player.waitFor();
  const played = await player.evaluate(async (el) => {
    const audio = el as HTMLAudioElement;
    audio.muted = true;
    await audio.play();
    await new Promise<void>((done) => {
      const check = () => (audio.currentTime > 0.2 ? done() : setTimeout(check, 20));
      check();
    });
    return { duration: audio.duration, time: audio.currentTime };
  });
  expect(played.time).toBeGreaterThan(0.2);
  return played;
}

async function storeWithSupport(tenant: Tenant) {
  await tenant.team('suporte', 'Suporte');
  await tenant.channel('wa-vendas', 'Vendas', '5511999990000', 'suporte');
  await tenant.reason('resolvido', 'Resolvido');
  await tenant.reason('troca', 'Troca de produto');
  return tenant.agent('ana', 'Ana Lima', ['suporte']);
}

describe('conversation', () => {
  test('AnAgentTakesAWaitingConversationRepliesWatchesTheTicksAndFinishesIt', async ({ tenant, agentPage }) => {
    const ana = await storeWithSupport(tenant);
    await tenant.customerWrites('wa-vendas', '5511987650001', 'João Pereira', 'Bom dia, quero trocar um tênis');
    await tenant.customerWrites('wa-vendas', '5521987650002', 'Pedro Alves', 'Meu pedido não chegou');

    const { page } = await agentPage(ana, { signIn: false });
    await page.getByRole('heading', { name: 'Entrar no atendimento' }).waitFor();
    await visit(page, 'signin');
    await signIn(page, { tenant: tenant.id, login: ana.login, password: ana.password, token: ana.token, agentId: ana.id, name: ana.name });

    // Sem Atendente: the two waiting ones, then Maria's arrives while the page is open.
    await page.getByRole('tab', { name: /Sem Atendente/ }).click();
    await page.getByRole('option', { name: /João Pereira/ }).waitFor();
    const conversation = await tenant.customerWrites('wa-vendas', '5531988887777', 'Maria Souza', 'Oi, preciso de ajuda com o meu pedido 4411');
    const maria = page.getByRole('option', { name: /Maria Souza/ });
    await maria.waitFor({ timeout: LIVE_TIMEOUT_MS });
    await expect.poll(() => page.getByRole('tab', { name: /Sem Atendente/ }).textContent()).toBe('Sem Atendente3');
    await visit(page, 'inbox');

    // Open it from the keyboard (the newest is first), Assumir, then reply.
    const list = page.getByRole('listbox', { name: 'Conversas' });
    await list.focus();
    await list.press('Home');
    expect(await list.getAttribute('aria-activedescendant')).toBe(`conv-${conversation}`);
    await list.press('Enter');
    await page.getByRole('heading', { name: 'Maria Souza', level: 2 }).waitFor();
    await page.getByText('Assuma a conversa para responder.').waitFor();
    await page.getByRole('button', { name: 'Assumir' }).click();
    await page.locator('.conversation-state').getByText('Em atendimento').waitFor();
    const composer = page.getByRole('textbox', { name: 'Mensagem' });
    await composer.fill('Olá Maria! Já estou verificando o pedido 4411.');
    await composer.press('Enter');
    const reply = page.locator('.msg-out', { hasText: 'Já estou verificando o pedido 4411' });
    await reply.waitFor();
    await expect.poll(() => composer.inputValue()).toBe('');

    // The connector reports sent → delivered → read; the ticks follow.
    const detail = await tenant.admin.get(`/v1/conversations/${conversation}`);
    const outbound = detail.messages.filter((m: { direction: string }) => m.direction === 'out').at(-1);
    expect(outbound.text).toBe('Olá Maria! Já estou verificando o pedido 4411.');
    const ticks = page.locator(`#msg-${outbound.id} .ticks`);
    await expect.poll(() => ticks.getAttribute('aria-label')).toBe('Enviando');
    for (const [status, label] of [
      ['sent', 'Enviada'],
      ['delivered', 'Entregue'],
      ['read', 'Lida'],
    ] as const) {
      await tenant.deliveryStatus('wa-vendas', outbound.id, status);
      await expect.poll(() => ticks.getAttribute('aria-label'), { timeout: LIVE_TIMEOUT_MS }).toBe(label);
    }
    // A reaction to Maria's message goes to her as WhatsApp's reaction.
    const first = detail.messages.find((m: { direction: string }) => m.direction === 'in');
    const asked = page.locator(`#msg-${first.id}`);
    await asked.getByRole('button', { name: 'Reagir' }).click();
    await asked.getByRole('group', { name: 'Reagir com' }).getByRole('button', { name: '🙏' }).click();
    await asked.getByRole('list', { name: 'Reações' }).getByText('🙏').waitFor();
    const reacted = await tenant.admin.get(`/v1/conversations/${conversation}`);
    expect(reacted.messages.find((m: { id: string }) => m.id === first.id).reactions).toMatchObject([{ by: 'ana', emoji: '🙏' }]);
    await visit(page, 'conversation');

    // The same on a phone: one pane at a time.
    await page.setViewportSize(PHONE);
    await visit(page, 'conversation-mobile');
    await page.getByRole('link', { name: '← Conversas' }).click();
    await page.getByRole('tab', { name: /Todos/ }).click();
    await page.getByRole('option', { name: /Maria Souza/ }).waitFor();
    await visit(page, 'inbox-mobile');
    await page.setViewportSize(DESKTOP);
    await page.getByRole('option', { name: /Maria Souza/ }).click();

    // Finalizar atendimento with a Motivo.
    await page.getByRole('button', { name: 'Finalizar atendimento' }).click();
    const dialog = page.getByRole('dialog', { name: 'Finalizar atendimento' });
    await dialog.getByLabel('Motivo').selectOption({ label: 'Resolvido' });
    await dialog.getByLabel('Descrição').fill('Pedido localizado, entrega amanhã.');
    await visit(page, 'finish');
    await dialog.getByRole('button', { name: 'Finalizar atendimento' }).click();
    await page.locator('.conversation-state').getByText('Finalizada').waitFor();
    await page.getByText('Atendimento finalizado.').waitFor();
    await page.getByText('Motivo: Resolvido').waitFor();
    const finished = await tenant.admin.get(`/v1/conversations/${conversation}`);
    expect(finished).toMatchObject({ status: 'finished', reason: 'resolvido', description: 'Pedido localizado, entrega amanhã.', assignee: 'ana' });

    // Linha do tempo: who did what, from the journal.
    await page.getByRole('tab', { name: 'Linha do tempo' }).click();
    const timeline = page.getByRole('list', { name: 'Linha do tempo' });
    await timeline.locator('li', { hasText: 'conversation.finished' }).waitFor();
    expect(await timeline.locator('li', { hasText: 'conversation.assigned' }).first().textContent()).toContain('Ana Lima');
    await visit(page, 'timeline');

    // Contato: the record and its history, from which a new conversation starts.
    await page.getByRole('tab', { name: 'Contato' }).click();
    const history = page.getByRole('region', { name: 'Histórico' });
    const past = history.getByRole('listitem').filter({ hasText: 'Pedido localizado, entrega amanhã.' });
    await past.waitFor();
    expect(await past.textContent()).toContain('Motivo: Resolvido');
    await visit(page, 'contact-panel');
    await past.getByRole('link', { name: 'Nova conversa pela conexão Vendas' }).click();
    await page.getByRole('heading', { name: 'Nova conversa' }).waitFor();
    expect(await page.getByLabel(/Número/).inputValue()).toBe('5531988887777');
  });

  test('APhotoALocationASharedContactAQuoteAndAReactionShowAsTheCustomerSentThem', async ({ tenant, agentPage }) => {
    const ana = await storeWithSupport(tenant);
    const from = '5511987650009';
    const base = { channel: 'wa-vendas', from, name: 'Luiza Prado' };
    await tenant.events([
      { id: 'wamid.rich1', type: 'message.received', data: { ...base, message_id: 'wamid.rich1', kind: 'text', text: 'Vocês têm esse modelo no 38?' } },
      {
        id: 'wamid.rich2',
        type: 'message.received',
        data: {
          ...base,
          message_id: 'wamid.rich2',
          kind: 'image',
          media: { id: '1013859600285441', mime_type: 'image/jpeg', caption: 'Este aqui, o azul' },
          reply_to: 'wamid.rich1',
        },
      },
      {
        id: 'wamid.rich3',
        type: 'message.received',
        data: { ...base, message_id: 'wamid.rich3', kind: 'location', location: { latitude: -23.5614, longitude: -46.6559, name: 'Loja Paulista', address: 'Av. Paulista, 1000' } },
      },
      {
        id: 'wamid.rich4',
        type: 'message.received',
        data: { ...base, message_id: 'wamid.rich4', kind: 'contacts', contacts: [{ name: 'Rafael Prado', phones: [{ phone: '+55 11 98765-4321', wa_id: '5511987654321' }] }] },
      },
      { id: 'wamid.rich5', type: 'message.received', data: { ...base, message_id: 'wamid.rich5', kind: 'reaction', reaction: { message_id: 'wamid.rich1', emoji: '👍' } } },
    ]);
    const { page } = await agentPage(ana);
    await page.getByRole('tab', { name: /Sem Atendente/ }).click();
    await page.getByRole('option', { name: /Luiza Prado/ }).click();
    await page.getByRole('heading', { name: 'Luiza Prado', level: 2 }).waitFor();

    const first = page.locator('.msg-in', { hasText: 'Vocês têm esse modelo no 38?' });
    await first.locator('.reactions', { hasText: '👍' }).waitFor();
    const photo = page.locator('.msg-in', { hasText: 'Este aqui, o azul' });
    await photo.locator('.msg-quote', { hasText: 'Vocês têm esse modelo no 38?' }).waitFor();
    await photo.getByText('arquivo indisponível').waitFor();
    await page.locator('.msg-location', { hasText: 'Loja Paulista' }).waitFor();
    await page.locator('.msg-contacts', { hasText: 'Rafael Prado' }).waitFor();
    // The reaction is on the message, not a message of its own.
    expect(await page.locator('.msg-in').count()).toBe(4);
    await visit(page, 'conversation-rich-messages');
  });

  test('ANoteMentioningAColleagueReachesItLiveAndIsNeverSent', async ({ tenant, agentPage }) => {
    const ana = await storeWithSupport(tenant);
    const bia = await tenant.agent('bia', 'Bia Costa', ['suporte']);
    const conversation = await tenant.customerWrites('wa-vendas', '5531988887777', 'Maria Souza', 'Quero um desconto no pedido 4411');
    const a = await agentPage(ana);
    const b = await agentPage(bia);

    await a.page.getByRole('option', { name: /Maria Souza/ }).click();
    await a.page.getByRole('button', { name: 'Assumir' }).click();
    await a.page.locator('.conversation-state').getByText('Em atendimento').waitFor();
    await a.page.getByRole('radio', { name: 'Nota interna' }).check();
    const composer = a.page.getByRole('textbox', { name: 'Nota interna' });
    await composer.fill('@bia você aprova 10% no pedido 4411?');
    await composer.press('Enter');
    const note = a.page.locator('.msg-note', { hasText: 'você aprova 10%' });
    await note.waitFor();
    expect(await note.locator('.msg-label').textContent()).toBe('Nota interna de Ana Lima');
    await expect.poll(() => composer.inputValue()).toBe('');
    await visit(a.page, 'conversation-note');

    // Bia is told at once, in her menu.
    const badge = b.page.locator('.agent-menu-button .badge');
    await badge.waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await badge.textContent()).toBe('1');
    await b.page.locator('.agent-menu-button').click();
    const menu = b.page.getByRole('dialog', { name: 'Menu do atendente' });
    await menu.getByRole('link', { name: 'Ana Lima mencionou você em uma nota' }).waitFor();
    await visit(b.page, 'agent-menu-mention');

    // The note is the team's: nothing went to the customer.
    const detail = await tenant.admin.get(`/v1/conversations/${conversation}`);
    expect(detail.messages.map((m: { direction: string }) => m.direction)).toEqual(['in', 'note']);
    expect((await tenant.admin.get('/v1/outbound')).items).toEqual([]);
  });

  test('AnAgentSendsAPhotoAndAVoiceNoteAndTheVoiceNotePlays', async ({ tenant, agentPage }) => {
    const ana = await storeWithSupport(tenant);
    const conversation = await tenant.customerWrites('wa-vendas', '5531988887777', 'Maria Souza', 'Pode mandar a etiqueta?');
    const { page } = await agentPage(ana);
    await page.getByRole('option', { name: /Maria Souza/ }).click();
    await page.getByRole('button', { name: 'Assumir' }).click();
    await page.locator('.conversation-state').getByText('Em atendimento').waitFor();

    // A photo, with the draft as its caption.
    const composer = page.getByRole('textbox', { name: 'Mensagem' });
    await composer.fill('Segue a etiqueta');
    await page.getByLabel('Anexar arquivo').setInputFiles(fixture('etiqueta.png'));
    const photo = page.locator('.msg-out.msg', { has: page.locator('.media-image') });
    await photo.waitFor();
    await expect.poll(() => composer.inputValue()).toBe('');
    await photo.getByRole('button', { name: 'Abrir' }).click();
    await photo.getByRole('img', { name: 'Segue a etiqueta' }).waitFor();

    // A voice note (Ogg Opus), played in the browser.
    await page.getByLabel('Anexar arquivo').setInputFiles(fixture('recado.ogg'));
    const voice = page.locator('.msg-out.msg', { has: page.locator('.media-audio') });
    await voice.waitFor();
    const played = await playVoiceNote(voice);
    expect(played.duration).toBeGreaterThan(1.2);
        await visit(page, 'conversation-media-sent');

    // What went out: an image with its caption, then an audio.
    const detail = await tenant.admin.get(`/v1/conversations/${conversation}`);
    const out = detail.messages.filter((m: { direction: string }) => m.direction === 'out');
    expect(out.map((m: { kind: string; media?: { caption?: string } }) => [m.kind, m.media?.caption ?? null])).toEqual([
      ['image', 'Segue a etiqueta'],
      ['audio', null],
    ]);
  });

  test('AVoiceNoteRecordedInTheBrowserGoesAsOggOpusAndPlays', async ({ tenant, agentPage }) => {
    const ana = await storeWithSupport(tenant);
    const conversation = await tenant.customerWrites('wa-vendas', '5531988887777', 'Maria Souza', 'Pode me explicar por áudio?');
    const { page } = await agentPage(ana);
    await page.getByRole('option', { name: /Maria Souza/ }).click();
    await page.getByRole('button', { name: 'Assumir' }).click();
    await page.locator('.conversation-state').getByText('Em atendimento').waitFor();
    const composer = page.getByRole('textbox', { name: 'Mensagem' });
    await composer.fill('Rascunho que fica');

    // Chromium's microphone here is a fake one playing a tone; the recording runs until the screen says 0:02.
    await page.getByRole('button', { name: 'Gravar áudio' }).click();
    await page.getByRole('status').filter({ hasText: 'Gravando 0:02' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await visit(page, 'voice-recording');
    await page.getByRole('button', { name: 'Enviar áudio' }).click();
    const voice = page.locator('.msg-out.msg', { has: page.locator('.media-audio') });
    await voice.waitFor();
    expect(await composer.inputValue()).toBe('Rascunho que fica');

    // It plays in the browser, from the engine's copy.
    const played = await playVoiceNote(voice);
    expect(played.duration).toBeGreaterThan(1.5);

    // What the engine keeps and sends is WhatsApp's voice note: Ogg with an Opus stream, no caption.
    const detail = await tenant.admin.get(`/v1/conversations/${conversation}`);
    const sent = detail.messages.filter((m: { direction: string }) => m.direction === 'out').at(-1);
    expect(sent).toMatchObject({ kind: 'audio', media: { mime_type: 'audio/ogg' } });
    expect(sent.media.caption ?? null).toBeNull();
    const file = await tenant.admin.bytes(`/v1/media/${sent.media.id}`);
    expect(file.type).toBe('audio/ogg');
    expect(new TextDecoder().decode(file.bytes.subarray(0, 4))).toBe('OggS');
    expect(new TextDecoder().decode(file.bytes.subarray(28, 36))).toBe('OpusHead');
  });

  test('OutsideTheWindowOnlyATemplateGoesAndTheComposerUnlocksWhenTheCustomerReplies', async ({ tenant, agentPage }) => {
    const ana = await storeWithSupport(tenant);
    await tenant.admin.post('/v1/templates', {
      id: 'retomada',
      channel: 'wa-vendas',
      name: 'retomada_atendimento',
      language: 'pt_BR',
      body: 'Oi {{1}}, sobre o {{2}}: podemos continuar?',
      status: 'approved',
    });
    await tenant.admin.post('/v1/templates', {
      id: 'curta',
      channel: 'wa-vendas',
      name: 'retomada_curta',
      language: 'pt_BR',
      body: '{{1}}, podemos retomar seu atendimento?',
      status: 'approved',
    });
    const { page } = await agentPage(ana);

    // Nova conversa with free text to a number that never wrote: refused, the template picker takes over.
    await page.getByRole('link', { name: 'Nova conversa' }).click();
    await page.getByRole('heading', { name: 'Nova conversa' }).waitFor();
    await expect.poll(() => page.getByLabel('Conexão de origem').inputValue()).toBe('wa-vendas');
    await page.getByLabel('Número do cliente').fill('5521977776666');
    await page.getByText('✓ +55 (21) 97777-6666').waitFor();
    await page.getByRole('textbox', { name: 'Mensagem' }).fill('Oi Carla, tudo bem?');
    await visit(page, 'new-conversation');
    await page.getByRole('button', { name: 'Iniciar conversa' }).click();
    await page.getByText('Fora da janela de 24 horas: escolha um modelo aprovado.').waitFor();
    await page.getByLabel('Modelo aprovado').selectOption({ label: 'retomada_atendimento (pt_BR)' });
    await page.getByLabel('Parâmetro 1').fill('Carla');
    await page.getByLabel('Parâmetro 2').fill('pedido 4411');
    await page.locator('.template-preview').getByText('Oi Carla, sobre o pedido 4411: podemos continuar?').waitFor();
    const startWithTemplate = page.getByRole('button', { name: 'Iniciar com este modelo' });
    await startWithTemplate.scrollIntoViewIfNeeded();
    await visit(page, 'new-conversation-template');
    await startWithTemplate.click();

    // The conversation: the template went, free text stays locked.
    await page.getByRole('heading', { name: '+55 (21) 97777-6666', level: 2 }).waitFor();
    const conversation = decodeURIComponent(new URL(page.url()).hash.split('/').pop()!);
    await page.locator('.msg-out', { hasText: 'Oi Carla, sobre o pedido 4411' }).waitFor();
    const composer = page.getByRole('textbox', { name: 'Mensagem' });
    await page.getByText('A janela de 24 horas está fechada: só é possível enviar um modelo aprovado.').waitFor();
    expect(await composer.isDisabled()).toBe(true);

    // Meta refuses the template (the connector reports it): the agent retries with another one.
    const first = (await tenant.admin.get(`/v1/conversations/${conversation}`)).messages[0];
    await tenant.events([
      {
        id: `st.${first.id}.failed`,
        type: 'message.status',
        data: { channel: 'wa-vendas', message_id: first.id, status: 'failed', error: { code: 132001, title: 'Template name does not exist in the translation' } },
      },
    ]);
    const failed = page.locator(`#msg-${first.id}`);
    await failed.locator('.msg-error').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await failed.getByRole('button', { name: 'Tentar com outro modelo' }).click();
    const retry = page.getByRole('dialog', { name: 'Enviar modelo' });
    await retry.getByLabel('Modelo aprovado').selectOption({ label: 'retomada_curta (pt_BR)' });
    await retry.getByLabel('Parâmetro 1').fill('Carla');
    await retry.getByRole('button', { name: 'Enviar modelo' }).click();
    await retry.waitFor({ state: 'detached' });
    await page.locator('.msg-out', { hasText: 'Carla, podemos retomar seu atendimento?' }).waitFor();
    const refused = await tenant.admin.as(ana.token).raw('POST', `/v1/conversations/${conversation}/messages`, { text: 'Oi?' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('window_closed');
    await page.getByRole('button', { name: 'Enviar modelo' }).click();
    const picker = page.getByRole('dialog', { name: 'Enviar modelo' });
    await picker.getByLabel('Modelo aprovado').selectOption({ label: 'retomada_atendimento (pt_BR)' });
    await picker.getByLabel('Parâmetro 1').fill('Carla');
    await picker.getByLabel('Parâmetro 2').fill('pedido 4411');
    await visit(page, 'composer-locked');
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached' });

    // The customer replies: the window opens and free text unlocks.
    await tenant.customerWrites('wa-vendas', '5521977776666', 'Carla Dias', 'Oi! Podemos sim.');
    await page.locator('.msg-in', { hasText: 'Oi! Podemos sim.' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await expect.poll(() => composer.isEnabled(), { timeout: LIVE_TIMEOUT_MS }).toBe(true);
    await page.getByText(/Janela de 24 horas: fecha em 23h/).waitFor();
    await composer.fill('Que bom, Carla! O pedido 4411 sai hoje.');
    await page.getByRole('button', { name: 'Enviar', exact: true }).click();
    await page.locator('.msg-out', { hasText: 'O pedido 4411 sai hoje.' }).waitFor();
    await visit(page, 'conversation-unlocked');
    const detail = await tenant.admin.get(`/v1/conversations/${conversation}`);
    expect(detail.composer_locked).toBe(false);
    expect(detail.messages.map((m: { direction: string; status: string }) => [m.direction, m.status])).toEqual([
      ['out', 'failed'],
      ['out', 'pending'],
      ['in', 'received'],
      ['out', 'pending'],
    ]);
  });
});
