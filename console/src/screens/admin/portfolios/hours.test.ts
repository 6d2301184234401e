import { describe, expect, it } from 'vitest';
import { checkDay, closedAllWeek, copyDay, hoursToModel, modelToHours, normalizeTime, summarizeHours, WORKDAYS, type HoursModel } from './hours';

const SHORT = { mon: 'seg', tue: 'ter', wed: 'qua', thu: 'qui', fri: 'sex', sat: 'sáb', sun: 'dom' } as const;
const short = (d: keyof typeof SHORT) => SHORT[d];

function model(days: Partial<HoursModel['days']>, timezone = ''): HoursModel {
  const m = hoursToModel({ week: {} });
  return { ...m, timezone, days: { ...m.days, ...days } };
}

describe('business hours', () => {
  it('HoursWithALunchBreakBecomeTwoPeriodsOfTheDay', () => {
    const r = modelToHours(model({ mon: [{ start: '13:00', end: '18:00' }, { start: '08:00', end: '12:00' }] }));
    expect(r).toEqual({ ok: true, hours: { week: { mon: [['08:00', '12:00'], ['13:00', '18:00']] } } });
  });

  it('SemHorarioIsNoHoursAtAll', () => {
    const m = { ...model({ mon: [{ start: '08:00', end: '18:00' }] }), always: true };
    expect(modelToHours(m)).toEqual({ ok: true, hours: null });
    expect(hoursToModel(null).always).toBe(true);
  });

  it('ATimeZoneIsSentOnlyWhenGiven', () => {
    const r = modelToHours(model({ sat: [{ start: '8:00', end: '24:00' }] }, ' America/Manaus '));
    expect(r).toEqual({ ok: true, hours: { timezone: 'America/Manaus', week: { sat: [['08:00', '24:00']] } } });
  });

  it('ClosedDaysAreLeftOutOfTheWeek', () => {
    const r = modelToHours(model({}));
    expect(r).toEqual({ ok: true, hours: { week: {} } });
    expect(closedAllWeek(model({}))).toBe(true);
    expect(closedAllWeek(model({ sun: [{ start: '09:00', end: '10:00' }] }))).toBe(false);
  });

  it('TheApiHoursComeBackAsTheSameForm', () => {
    const hours = { timezone: 'America/Sao_Paulo', week: { mon: [['08:00', '12:00'], ['13:00', '18:00']] as [string, string][], fri: [['08:00', '17:00']] as [string, string][] } };
    const m = hoursToModel(hours);
    expect(m.always).toBe(false);
    expect(m.days.mon).toEqual([{ start: '08:00', end: '12:00' }, { start: '13:00', end: '18:00' }]);
    expect(m.days.tue).toEqual([]);
    expect(modelToHours(m)).toEqual({ ok: true, hours });
  });

  it('TimesMustBeHoursAndMinutesAndOnly24ClosesADay', () => {
    expect(normalizeTime('08:00')).toBe('08:00');
    expect(normalizeTime('8:05')).toBe('08:05');
    expect(normalizeTime('24:00')).toBeNull();
    expect(normalizeTime('24:00', true)).toBe('24:00');
    expect(normalizeTime('24:01', true)).toBeNull();
    expect(normalizeTime('12:60')).toBeNull();
    expect(normalizeTime('0800')).toBeNull();
    expect(normalizeTime('')).toBeNull();
  });

  it('APeriodMustStartBeforeItEnds', () => {
    expect(checkDay('tue', [{ start: '18:00', end: '08:00' }, { start: '09:00', end: '09:00' }])).toEqual([
      { day: 'tue', index: 0, problem: 'order' },
      { day: 'tue', index: 1, problem: 'order' },
    ]);
    expect(checkDay('tue', [{ start: '', end: '12:00' }])).toEqual([{ day: 'tue', index: 0, problem: 'format' }]);
  });

  it('OverlappingPeriodsAreRefusedButTouchingOnesAreNot', () => {
    expect(checkDay('wed', [{ start: '08:00', end: '12:00' }, { start: '12:00', end: '13:00' }])).toEqual([]);
    expect(checkDay('wed', [{ start: '13:00', end: '18:00' }, { start: '08:00', end: '14:00' }])).toEqual([{ day: 'wed', index: 0, problem: 'overlap' }]);
    // A period inside a long one overlaps it, and so does the one after it.
    expect(checkDay('wed', [{ start: '08:00', end: '18:00' }, { start: '09:00', end: '10:00' }, { start: '11:00', end: '12:00' }]).map((p) => p.index)).toEqual([1, 2]);
  });

  it('ABadPeriodStopsTheWholeFormWithEachFaultNamed', () => {
    const r = modelToHours(model({ mon: [{ start: '08:00', end: '12:00' }, { start: '11:00', end: '13:00' }], fri: [{ start: '8h', end: '12:00' }] }));
    expect(r).toEqual({
      ok: false,
      problems: [
        { day: 'mon', index: 1, problem: 'overlap' },
        { day: 'fri', index: 0, problem: 'format' },
      ],
    });
  });

  it('MondayCopiedToTheWorkdaysLeavesTheWeekendAlone', () => {
    const m = copyDay(model({ mon: [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '18:00' }], sat: [{ start: '08:00', end: '12:00' }] }), 'mon', WORKDAYS);
    expect(m.days.fri).toEqual(m.days.mon);
    expect(m.days.fri).not.toBe(m.days.mon);
    expect(m.days.sat).toEqual([{ start: '08:00', end: '12:00' }]);
    expect(m.days.sun).toEqual([]);
  });

  it('TheSummaryGroupsConsecutiveDaysWithTheSamePeriods', () => {
    const lunch: [string, string][] = [['08:00', '12:00'], ['13:00', '18:00']];
    const hours = { week: { mon: lunch, tue: lunch, wed: lunch, thu: lunch, fri: lunch, sat: [['08:00', '12:00']] as [string, string][] } };
    expect(summarizeHours(hours, short)).toEqual(['seg–sex 08:00–12:00, 13:00–18:00', 'sáb 08:00–12:00']);
    expect(summarizeHours({ week: { mon: lunch, wed: lunch } }, short)).toEqual(['seg 08:00–12:00, 13:00–18:00', 'qua 08:00–12:00, 13:00–18:00']);
    expect(summarizeHours({ week: {} }, short)).toEqual([]);
    expect(summarizeHours(null, short)).toBeNull();
  });
});
