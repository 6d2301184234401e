import { lang, t, type Lang } from './index';

// Dates and times as people read them in the chosen language. `timeZone`
// is the browser's unless given (tests pass 'UTC').

function locale(l: Lang): string {
  return l === 'pt-BR' ? 'pt-BR' : 'en-US';
}

/** A list row's time: "14:05" today, "20/11" before, with the year when not this year. */
export function formatListTime(iso: string, now: number, l: Lang = lang.value, timeZone?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return '';
  }
  const opts = timeZone ? { timeZone } : {};
  const day = (x: Date) => new Intl.DateTimeFormat('en-CA', { ...opts, year: 'numeric', month: '2-digit', day: '2-digit' }).format(x);
  const today = new Date(now);
  if (day(d) === day(today)) {
    return new Intl.DateTimeFormat(locale(l), { ...opts, hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
  }
  const year = (x: Date) => new Intl.DateTimeFormat('en-CA', { ...opts, year: 'numeric' }).format(x);
  const sameYear = year(d) === year(today);
  return new Intl.DateTimeFormat(locale(l), { ...opts, day: '2-digit', month: '2-digit', ...(sameYear ? {} : { year: 'numeric' }) }).format(d);
}

/** A full date and time: "21/11/2026 14:05". */
export function formatDateTime(iso: string, l: Lang = lang.value, timeZone?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return iso;
  }
  return new Intl.DateTimeFormat(locale(l), {
    ...(timeZone ? { timeZone } : {}),
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);
}

/** "há 5 min", "há 2 h" / "5 min ago". */
export function formatElapsed(fromIso: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(fromIso)) / 60_000));
  if (minutes < 60) {
    return t('time.minutes_ago', { n: minutes });
  }
  return t('time.hours_ago', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

/** File sizes: "1,2 MB". */
export function formatBytes(size: number, l: Lang = lang.value): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = size;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${new Intl.NumberFormat(locale(l), { maximumFractionDigits: u === 0 ? 0 : 1 }).format(v)} ${units[u]}`;
}

/** Counts: "100.000" in pt-BR, "100,000" in English. */
export function formatCount(n: number, l: Lang = lang.value): string {
  return new Intl.NumberFormat(locale(l)).format(n);
}
