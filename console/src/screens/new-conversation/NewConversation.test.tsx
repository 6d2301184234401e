// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/error';
import type { StartRequest } from '../../api/types';
import { fakeApi } from '../../test/fake-api';
import { FakeServer } from '../../test/fake-server';
import { button, choose, click, flush, mount, testStore, type } from '../../test/render';
import { NewConversation } from './NewConversation';

const channels = async () => [{ id: 'wa1', kind: 'whatsapp' as const, name: 'Vendas', phone: '5511900000000', phone_number_id: 'PN1', default_team: 'sales' }];
const teams = async () => [{ id: 'sales', name: 'Vendas', distribution: 'manual' as const, max_per_agent: 5, require_reason: false }];
const templates = async () => [{ id: 't1', channel: 'wa1', name: 'retomada', language: 'pt_BR', body: 'Oi {{1}}!', status: 'approved' as const }];

describe('NewConversation', () => {
  it('ValidatesTheNumberAsItIsTyped', async () => {
    const store = testStore(fakeApi(new FakeServer('ana'), { listChannels: channels, listTeams: teams, listTemplates: templates }));
    const el = await mount(store, <NewConversation />);
    const input = el.querySelector<HTMLInputElement>('input[type=tel]')!;
    await type(input, '55');
    expect(el.querySelector('.phone-feedback')?.textContent).toBe('Agora o DDD, com dois dígitos.');
    await type(input, '5520');
    expect(el.querySelector('.phone-feedback')?.textContent).toBe('DDD inexistente.');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    await type(input, '5511987654321');
    expect(el.querySelector('.phone-feedback')?.textContent).toBe('✓ +55 (11) 98765-4321');
  });

  it('SwitchesToTheTemplatePickerWhenTheApiRequiresATemplate', async () => {
    const sent: StartRequest[] = [];
    const api = fakeApi(new FakeServer('ana'), {
      listChannels: channels,
      listTeams: teams,
      listTemplates: templates,
      startConversation: async (body) => {
        sent.push(body);
        throw new ApiError(422, { code: 'template_required', message: 'text: the 24-hour window is closed; send a template' });
      },
    });
    const store = testStore(api);
    const el = await mount(store, <NewConversation />);
    await flush();
    await type(el.querySelector<HTMLInputElement>('input[type=tel]'), '5511987654321');
    await type(el.querySelector('textarea'), 'Olá!');
    await click(button(el, 'Iniciar conversa'));
    expect(sent).toEqual([{ channel: 'wa1', to: '5511987654321', text: 'Olá!' }]);
    expect(el.querySelector('[role=alert]')?.textContent).toContain('text: the 24-hour window is closed; send a template');
    const picker = el.querySelector('.template-picker')!;
    expect(picker).not.toBeNull();
    await choose(picker.querySelector('select'), 't1');
    expect(picker.querySelector('.template-preview')?.textContent).toContain('Oi {{1}}!');
  });
});
