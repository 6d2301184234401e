import { describe, expect, it } from 'vitest';
import { en } from './en';
import { catalogues, LANGS, placeholdersOf, translate } from './index';
import { formatCount } from './format';
import { ptBR, type MessageKey } from './pt-BR';

describe('the catalogue', () => {
  const keys = Object.keys(ptBR) as MessageKey[];

  it('HasEveryKeyInEveryLanguage', () => {
    for (const lang of LANGS) {
      expect(Object.keys(catalogues[lang]).sort()).toEqual([...keys].sort());
    }
  });

  it('HasNoEmptyText', () => {
    for (const lang of LANGS) {
      for (const key of keys) {
        expect(catalogues[lang][key].trim(), `${lang} ${key}`).not.toBe('');
      }
    }
  });

  it('UsesTheSamePlaceholdersInEveryLanguage', () => {
    for (const key of keys) {
      expect(placeholdersOf(en[key]), key).toEqual(placeholdersOf(ptBR[key]));
    }
  });

  it('HasBothPluralForms', () => {
    for (const key of keys) {
      if (key.endsWith('.one')) {
        expect(keys, key).toContain(key.replace(/\.one$/, '.other'));
      }
    }
  });

  it('SpeaksTheProductsWords', () => {
    const words = [
      'Todos',
      'Meus',
      'Sem Atendente',
      'Aguardando resposta',
      'Falha no envio',
      'Finalizadas',
      'Automações',
      'Pausas',
      'Nova conversa',
      'Finalizar atendimento',
      'Motivo',
      'Transferir',
      'Assumir',
      'Mais recentes',
      'Mais antigas',
      'Online',
      'Offline',
      'Conexão',
      'Etiquetas',
      'Etapa do negócio',
      'Departamento',
    ];
    const texts = new Set<string>(Object.values(ptBR));
    for (const w of words) {
      expect(texts.has(w), w).toBe(true);
    }
  });

  it('FillsPlaceholders', () => {
    expect(translate('pt-BR', 'bulk.summary', { ok: 2, failed: 1 })).toBe('2 com sucesso, 1 com erro.');
    expect(translate('en', 'composer.window_open', { time: '3h 05min' })).toBe('24-hour window: closes in 3h 05min.');
  });
});

describe('formatCount', () => {
  it('GroupsThousandsAsEachLanguageWritesThem', () => {
    expect(formatCount(100000, 'pt-BR')).toBe('100.000');
    expect(formatCount(100000, 'en')).toBe('100,000');
    expect(formatCount(7, 'pt-BR')).toBe('7');
  });
});

describe('API error codes', () => {
  it('HaveTheAgentsWordsForEveryCodeTheEngineAnswers', () => {
    // docs/api.md, Errors: every code an agent's request can get.
    const codes = [
      'malformed', 'unauthorized', 'bad_credentials', 'too_many_attempts', 'too_many_streams', 'unavailable', 'forbidden',
      'not_assignee', 'not_eligible', 'not_found', 'already_exists', 'conflict', 'already_assigned', 'at_capacity',
      'conversation_finished', 'conversation_open', 'already_paused', 'not_paused', 'too_large', 'invalid_phone',
      'invalid_value', 'unknown_reference', 'reason_required', 'unknown_reason', 'pause_not_allowed_yet', 'window_closed',
      'template_required', 'template_not_approved', 'template_params_mismatch', 'unsupported', 'unsupported_media', 'internal',
    ];
    for (const code of codes) {
      expect(Object.keys(ptBR)).toContain(`api_error.${code}`);
    }
  });
});
