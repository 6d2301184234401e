import { afterEach, describe, expect, it } from 'vitest';
import { lang } from '../i18n';
import { failureReason } from './Ticks';

describe('failureReason', () => {
  afterEach(() => {
    lang.value = 'pt-BR';
  });

  it('SaysWhatAKnownWhatsAppCodeMeansInTheReadersLanguage', () => {
    expect(failureReason({ code: '131026', title: 'undeliverable: …' })).toBe(
      'não entregue: o número não está no WhatsApp ou o aplicativo não recebe esta mensagem (131026)',
    );
    lang.value = 'en';
    expect(failureReason({ code: 131047 })).toBe(
      'the 24-hour window is closed: only an approved template may be sent (131047)',
    );
  });

  it('ExplainsASendCutByARestart', () => {
    expect(failureReason({ code: 'unknown_outcome', title: 'atende stopped…' })).toContain(
      'envie de novo se o cliente não recebeu',
    );
  });

  it('KeepsTheServersTitleForACodeItDoesNotKnow', () => {
    expect(failureReason({ code: '470', title: 'Message failed to send' })).toBe('Message failed to send (470)');
    expect(failureReason({ code: '999' })).toBe('999');
    expect(failureReason(undefined)).toBe('');
  });
});
