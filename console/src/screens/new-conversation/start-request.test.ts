import { describe, expect, it } from 'vitest';
import { startRequest } from './start-request';

const form = { channel: 'wa1', team: '', to: '+55 (11) 98765-4321', text: ' Olá! ' };

describe('startRequest', () => {
  it('SendsDigitsOnlyAndTrimmedText', () => {
    expect(startRequest(form, null)).toEqual({ ok: true, request: { channel: 'wa1', to: '5511987654321', text: 'Olá!' } });
  });

  it('NamesTheTeamOnlyWhenChosen', () => {
    const r = startRequest({ ...form, team: 'sales' }, null);
    expect(r.ok && r.request.team).toBe('sales');
  });

  it('ATemplateReplacesTheText', () => {
    const tpl = { name: 'retomada', language: 'pt_BR', params: ['Maria'] };
    expect(startRequest(form, tpl)).toEqual({ ok: true, request: { channel: 'wa1', to: '5511987654321', template: tpl } });
  });

  it('RefusesIncompleteForms', () => {
    expect(startRequest({ ...form, channel: '' }, null)).toEqual({ ok: false, missing: 'channel' });
    expect(startRequest({ ...form, to: '55119' }, null)).toEqual({ ok: false, missing: 'to' });
    expect(startRequest({ ...form, text: '  ' }, null)).toEqual({ ok: false, missing: 'message' });
  });
});
