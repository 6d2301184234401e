import { describe, expect, it } from 'vitest';
import type { Template } from '../api/types';
import { fillTemplate, fitParams, paramsComplete, placeholderCount, previewSegments, sendableTemplates } from './template';

const BODY = 'Oi {{1}}, sobre o {{2}}: podemos continuar, {{1}}?';

describe('templates', () => {
  it('CountsPlaceholdersByTheHighestNumber', () => {
    expect(placeholderCount(BODY)).toBe(2);
    expect(placeholderCount('Sem parâmetros')).toBe(0);
    expect(placeholderCount('{{3}} {{1}}')).toBe(3);
  });

  it('FillsEveryOccurrence', () => {
    expect(fillTemplate(BODY, ['Maria', 'pedido 4411'])).toBe('Oi Maria, sobre o pedido 4411: podemos continuar, Maria?');
  });

  it('KeepsEmptyPlaceholdersVisibleInThePreview', () => {
    expect(fillTemplate(BODY, ['Maria'])).toBe('Oi Maria, sobre o {{2}}: podemos continuar, Maria?');
    const segs = previewSegments(BODY, ['Maria', ' ']);
    expect(segs).toEqual([
      { text: 'Oi ' },
      { text: 'Maria', param: 1 },
      { text: ', sobre o ' },
      { text: '{{2}}', param: 2, missing: true },
      { text: ': podemos continuar, ' },
      { text: 'Maria', param: 1 },
      { text: '?' },
    ]);
  });

  it('ParamsCompleteNeedsEveryValue', () => {
    expect(paramsComplete(BODY, ['Maria', ''])).toBe(false);
    expect(paramsComplete(BODY, ['Maria', 'x'])).toBe(true);
    expect(paramsComplete('Olá', [])).toBe(true);
  });

  it('FitParamsResizesToThePlaceholders', () => {
    expect(fitParams(BODY, ['a', 'b', 'c'])).toEqual(['a', 'b']);
    expect(fitParams(BODY, [])).toEqual(['', '']);
  });

  it('OnlyApprovedTemplatesOfTheChannelAreSendable', () => {
    const t = (id: string, channel: string, status: Template['status'], name = id): Template => ({
      id,
      channel,
      name,
      language: 'pt_BR',
      body: '',
      status,
    });
    const list = [
      t('b', 'wa1', 'approved', 'boas_vindas'),
      t('a', 'wa1', 'approved', 'aviso'),
      t('p', 'wa1', 'pending'),
      t('x', 'wa2', 'approved'),
      t('r', 'wa1', 'rejected'),
    ];
    expect(sendableTemplates(list, 'wa1').map((x) => x.id)).toEqual(['a', 'b']);
  });
});
