import { WEEKDAYS, type BusinessHours, type Interval, type Weekday } from '../../../api/portfolios';

// The business hours (expediente) of a portfolio as the form edits them,
// and the `hours` body of docs/api.md "Business hours" they become:
//
//   form: always open ("sem horário")       → hours: null
//   form: mon 08:00–12:00 and 13:00–18:00   → {"week": {"mon": [["08:00","12:00"], ["13:00","18:00"]]}}
//
// A day without periods is closed. Times are "HH:MM"; an end may be
// "24:00" (until midnight); a period is open from its start up to, not
// including, its end, so 08:00–12:00 and 12:00–13:00 do not overlap.

export interface Period {
  start: string;
  end: string;
}

export interface HoursModel {
  /** "Sem horário": no hours, always open. */
  always: boolean;
  /** An IANA zone, or empty for the company's. */
  timezone: string;
  days: Record<Weekday, Period[]>;
}

export type PeriodProblem = 'format' | 'order' | 'overlap';

export interface HoursProblem {
  day: Weekday;
  /** The period's place in the day's list, as the form shows it. */
  index: number;
  problem: PeriodProblem;
}

export type HoursResult = { ok: true; hours: BusinessHours | null } | { ok: false; problems: HoursProblem[] };

const START = /^([01]?\d|2[0-3]):([0-5]\d)$/;
const END = /^(([01]?\d|2[0-3]):([0-5]\d)|24:00)$/;

function emptyDays(): Record<Weekday, Period[]> {
  return { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
}

export function hoursToModel(hours: BusinessHours | null | undefined): HoursModel {
  const days = emptyDays();
  if (!hours) {
    return { always: true, timezone: '', days };
  }
  for (const day of WEEKDAYS) {
    days[day] = (hours.week[day] ?? []).map(([start, end]) => ({ start, end }));
  }
  return { always: false, timezone: hours.timezone ?? '', days };
}

/** "8:00" → "08:00"; null when it is not a time of day (an end may be "24:00"). */
export function normalizeTime(text: string, asEnd = false): string | null {
  const t = text.trim();
  if (!(asEnd ? END : START).test(t)) {
    return null;
  }
  return t.length === 4 ? `0${t}` : t;
}

/** The faults of one day's periods, by the place of each period in the list. */
export function checkDay(day: Weekday, periods: readonly Period[]): HoursProblem[] {
  const problems: HoursProblem[] = [];
  const good: Array<{ index: number; start: string; end: string }> = [];
  periods.forEach((p, index) => {
    const start = normalizeTime(p.start);
    const end = normalizeTime(p.end, true);
    if (start === null || end === null) {
      problems.push({ day, index, problem: 'format' });
    } else if (start >= end) {
      problems.push({ day, index, problem: 'order' });
    } else {
      good.push({ index, start, end });
    }
  });
  good.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.index - b.index));
  let reach = '';
  for (const p of good) {
    if (reach !== '' && p.start < reach) {
      problems.push({ day, index: p.index, problem: 'overlap' });
    }
    if (p.end > reach) {
      reach = p.end;
    }
  }
  return problems.sort((a, b) => a.index - b.index);
}

/** The `hours` body of the form, or what is wrong with it. Periods go in order of their start. */
export function modelToHours(model: HoursModel): HoursResult {
  if (model.always) {
    return { ok: true, hours: null };
  }
  const problems = WEEKDAYS.flatMap((day) => checkDay(day, model.days[day]));
  if (problems.length > 0) {
    return { ok: false, problems };
  }
  const week: BusinessHours['week'] = {};
  for (const day of WEEKDAYS) {
    const intervals = model.days[day]
      .map((p): Interval => [normalizeTime(p.start)!, normalizeTime(p.end, true)!])
      .sort((a, b) => (a[0] < b[0] ? -1 : 1));
    if (intervals.length > 0) {
      week[day] = intervals;
    }
  }
  const hours: BusinessHours = { week };
  const timezone = model.timezone.trim();
  if (timezone) {
    hours.timezone = timezone;
  }
  return { ok: true, hours };
}

/** The days Monday to Friday. */
export const WORKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** The model with `from`'s periods copied into each of `to`. */
export function copyDay(model: HoursModel, from: Weekday, to: readonly Weekday[]): HoursModel {
  const days = { ...model.days };
  for (const day of to) {
    if (day !== from) {
      days[day] = model.days[from].map((p) => ({ ...p }));
    }
  }
  return { ...model, days };
}

/** Whether no day has a period (the portfolio would be closed all week). */
export function closedAllWeek(model: HoursModel): boolean {
  return !model.always && WEEKDAYS.every((d) => model.days[d].length === 0);
}

/**
 * The hours in a few words for the table: consecutive days with the same
 * periods share one line, closed days are left out.
 *
 *   summarizeHours(h, short) → ["seg–sex 08:00–12:00, 13:00–18:00", "sáb 08:00–12:00"]
 *
 * null: always open; an empty list: closed every day.
 */
export function summarizeHours(hours: BusinessHours | null | undefined, dayName: (d: Weekday) => string): string[] | null {
  if (!hours) {
    return null;
  }
  const text = (day: Weekday) => (hours.week[day] ?? []).map(([s, e]) => `${s}–${e}`).join(', ');
  const lines: string[] = [];
  let i = 0;
  while (i < WEEKDAYS.length) {
    const first = WEEKDAYS[i]!;
    const periods = text(first);
    let j = i;
    while (j + 1 < WEEKDAYS.length && text(WEEKDAYS[j + 1]!) === periods) {
      j++;
    }
    if (periods !== '') {
      const last = WEEKDAYS[j]!;
      const days = i === j ? dayName(first) : `${dayName(first)}–${dayName(last)}`;
      lines.push(`${days} ${periods}`);
    }
    i = j + 1;
  }
  return lines;
}
