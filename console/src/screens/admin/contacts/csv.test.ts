import { describe, expect, it } from 'vitest';
import { IMPORT_HEADER, joinList, splitList, TEMPLATE_CSV, templateBlob } from './csv';

describe('the contacts file', () => {
  it('TheTemplateHasTheImportHeaderAndOneExampleRow', async () => {
    const lines = TEMPLATE_CSV.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(IMPORT_HEADER);
    expect(IMPORT_HEADER).toBe('name,phone,tags,portfolios');
    expect(lines).toHaveLength(2);
    expect(lines[1]!.split(',')).toHaveLength(4);
    const blob = templateBlob();
    expect(blob.type).toBe('text/csv');
    expect(await blob.text()).toBe(TEMPLATE_CSV);
  });

  it('CommaSeparatedTagsBecomeAListWithoutBlanksOrRepeats', () => {
    expect(splitList(' vip, b2b,,lead , vip')).toEqual(['vip', 'b2b', 'lead']);
    expect(splitList('   ')).toEqual([]);
    expect(joinList(['vip', 'b2b'])).toBe('vip, b2b');
  });
});
