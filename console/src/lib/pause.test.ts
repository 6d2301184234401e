import { describe, expect, it } from 'vitest';
import { pauseMinutes, pauseOverdue } from './pause';

const since = '2026-11-21T12:00:00.000Z';
const lunch = { id: 'lunch', name: 'Almoço', max_minutes: 60, allowed_from: '11:00' };
const at = (min: number) => Date.parse(since) + min * 60_000;

describe('pauses', () => {
  it('CountWholeMinutesFromTheStart', () => {
    expect(pauseMinutes({ type: 'lunch', since, overdue: false }, at(59.9))).toBe(59);
  });

  it('AreOverduePastTheirMaximum', () => {
    const p = { type: 'lunch', since, overdue: false };
    expect(pauseOverdue(p, lunch, at(60))).toBe(false);
    expect(pauseOverdue(p, lunch, at(61))).toBe(true);
    expect(pauseOverdue({ ...p, overdue: true }, undefined, at(0))).toBe(true);
  });
});
