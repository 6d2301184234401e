import { describe, expect, it } from 'vitest';
import {
  agentValues,
  changedFields,
  channelValues,
  countsText,
  createBody,
  healthRows,
  parseCount,
  parseTimeOfDay,
  pauseTypeValues,
  secretChange,
  teamValues,
  templateValues,
  webhookUrl,
} from './settings-logic';

describe('settings logic', () => {
  it('ReadsATimeOfDayAsHHMMAndBlankAsAnyTime', () => {
    expect(parseTimeOfDay('')).toBeNull();
    expect(parseTimeOfDay('  ')).toBeNull();
    expect(parseTimeOfDay('11:00')).toBe('11:00');
    expect(parseTimeOfDay('9:05')).toBe('09:05');
    expect(parseTimeOfDay('13:30:00')).toBe('13:30');
    // Not a time: sent as typed, for the server to refuse with its reason.
    expect(parseTimeOfDay('meio-dia')).toBe('meio-dia');
  });

  it('ReadsACountAndLeavesWhatIsNotANumberForTheServerToRefuse', () => {
    expect(parseCount('')).toBeNull();
    expect(parseCount(' 5 ')).toBe(5);
    expect(parseCount('0')).toBe(0);
    expect(parseCount('2.5')).toBe('2.5');
  });

  it('SendsOnlyTheFieldsThatChanged', () => {
    const team = { id: 'sales', name: 'Vendas', distribution: 'manual', max_per_agent: 5, require_reason: false };
    const edited = teamValues({ name: ' Vendas ', distribution: 'round_robin', max_per_agent: '5', require_reason: true });
    expect(changedFields(team, edited)).toEqual({ distribution: 'round_robin', require_reason: true });
    expect(changedFields(team, teamValues({ name: 'Vendas', distribution: 'manual', max_per_agent: '5', require_reason: false }))).toEqual({});
  });

  it('ComparesTeamsAsASetAndAnAbsentFieldAsNull', () => {
    const agent = { id: 'ana', name: 'Ana', role: 'agent', teams: ['a', 'b'], max_concurrent: null, login: null };
    expect(changedFields(agent, agentValues({ name: 'Ana', role: 'agent', teams: ['b', 'a'], max_concurrent: '', login: '' }))).toEqual({});
    expect(changedFields(agent, agentValues({ name: 'Ana', role: 'admin', teams: ['a'], max_concurrent: '3', login: 'ana.souza' }))).toEqual({
      role: 'admin',
      teams: ['a'],
      max_concurrent: 3,
      login: 'ana.souza',
    });
    // waba_id is absent from a record that has none: blank leaves it so.
    const channel = { id: 'wa1', kind: 'whatsapp', name: 'Main', phone: '55', phone_number_id: 'PN1', default_team: 'sales', mark_read: false };
    const values = channelValues({ kind: 'whatsapp', name: 'Main', phone: '55', phone_number_id: '', waba_id: '', default_team: 'sales', mark_read: false });
    expect(changedFields(channel, values)).toEqual({ phone_number_id: null });
  });

  it('ACreateSendsTheIdOnlyWhenTyped', () => {
    const values = pauseTypeValues({ name: 'Almoço', max_minutes: '60', allowed_from: '' });
    expect(createBody(values)).toEqual({ name: 'Almoço', max_minutes: 60 });
    expect(createBody(values, '  ')).toEqual({ name: 'Almoço', max_minutes: 60 });
    expect(createBody(pauseTypeValues({ name: 'Almoço', max_minutes: '60', allowed_from: '11:00' }), 'lunch')).toEqual({
      id: 'lunch',
      name: 'Almoço',
      max_minutes: 60,
      allowed_from: '11:00',
    });
  });

  it('ASecretIsKeptWhenBlankRemovedWithNullAndReplacedWhenTyped', () => {
    expect(secretChange('', false)).toBeUndefined();
    expect(secretChange('', true)).toBeNull();
    expect(secretChange('EAAG…', true)).toBeNull();
    expect(secretChange('EAAG…', false)).toBe('EAAG…');
  });

  it('ATemplateEditSendsOnlyBodyAndStatus', () => {
    const f = { channel: 'wa1', name: 'retomada', language: 'pt_BR', body: 'Oi {{1}}', status: 'approved' };
    expect(templateValues(f, true)).toEqual(f);
    expect(templateValues(f, false)).toEqual({ body: 'Oi {{1}}', status: 'approved' });
  });

  it('TheWebhookUrlIsThisServers', () => {
    expect(webhookUrl('https://atende.example.com')).toBe('https://atende.example.com/v1/webhooks/whatsapp');
    expect(webhookUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080/v1/webhooks/whatsapp');
  });

  it('HealthShowsCountsByCodeAndWhatIsAbsent', () => {
    expect(countsText({})).toBe('0');
    expect(countsText({ '100': 1, '131047': 2 })).toBe('131047: 2 · 100: 1');
    const rows = healthRows({ webhook_errors: { '131051': 2 }, last_webhook_error: null });
    const value = (key: string) => rows.find((r) => r.key === key)!.value;
    expect(value('webhook_errors')).toEqual({ kind: 'text', text: '131051: 2' });
    expect(value('last_webhook_error')).toEqual({ kind: 'error', error: null });
    // Without an access token the server reports no sends and no media.
    expect(value('accepted')).toEqual({ kind: 'absent' });
    expect(value('media.fetched')).toEqual({ kind: 'absent' });
    const sending = healthRows({ accepted: 7, failed: {}, last_error: { code: '131047', title: 'Re-engagement message', at: '2026-11-21T12:00:00.000Z' }, media: { fetched: 3 } });
    expect(sending.find((r) => r.key === 'accepted')!.value).toEqual({ kind: 'text', text: '7' });
    expect(sending.find((r) => r.key === 'failed')!.value).toEqual({ kind: 'text', text: '0' });
    expect(sending.find((r) => r.key === 'last_error')!.value).toMatchObject({ kind: 'error', error: { code: '131047' } });
    expect(sending.find((r) => r.key === 'media.fetched')!.value).toEqual({ kind: 'text', text: '3' });
    expect(healthRows(undefined).every((r) => r.value.kind === 'absent')).toBe(true);
  });
});
