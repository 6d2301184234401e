import type { ChannelError, ChannelHealth } from '../../../api/settings';

// The pure part of the configuration screens: form text to API values, the
// bodies of a create and of a PATCH, and how a channel's health reads.

export type Body = Record<string, unknown>;

/** An optional text field: blank is null (not set). */
export function optionalText(text: string): string | null {
  const v = text.trim();
  return v === '' ? null : v;
}

/**
 * A whole number typed in a field: blank is null; anything that is not a
 * number goes as typed, so the server names the field and says why.
 */
export function parseCount(text: string): number | string | null {
  const v = text.trim();
  if (v === '') {
    return null;
  }
  return /^-?\d+$/.test(v) ? Number(v) : v;
}

/**
 * A time of day from an <input type="time">: blank is null (any time),
 * "9:05" and "09:05:00" become "09:05". Anything else goes as typed and
 * the server refuses it with its reason.
 */
export function parseTimeOfDay(text: string): string | null {
  const v = text.trim();
  if (v === '') {
    return null;
  }
  const m = /^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(v);
  if (!m) {
    return v;
  }
  return `${m[1]!.padStart(2, '0')}:${m[2]}`;
}

/** A write-only secret on edit: blank keeps it, "Remover" clears it (null). */
export function secretChange(text: string, remove: boolean): string | null | undefined {
  if (remove) {
    return null;
  }
  return text === '' ? undefined : text;
}

function same(a: unknown, b: unknown): boolean {
  const x = a === undefined ? null : a;
  const y = b === undefined ? null : b;
  if (Array.isArray(x) && Array.isArray(y)) {
    // Lists of ids (an agent's teams): the same ids in any order.
    const xs = x.map(String).sort();
    const ys = y.map(String).sort();
    return xs.length === ys.length && xs.every((v, i) => v === ys[i]);
  }
  return x === y;
}

/** The fields of `next` whose value is not the record's (absent counts as null). */
export function changedFields(before: object, next: Body): Body {
  const out: Body = {};
  const old = before as Record<string, unknown>;
  for (const [key, value] of Object.entries(next)) {
    if (value !== undefined && !same(old[key], value)) {
      out[key] = value;
    }
  }
  return out;
}

/**
 * The body of a create: the values that are set, and the id when the
 * admin typed one (otherwise the server chooses it).
 */
export function createBody(values: Body, id = ''): Body {
  const out: Body = {};
  const chosen = id.trim();
  if (chosen !== '') {
    out.id = chosen;
  }
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== null) {
      out[key] = value;
    }
  }
  return out;
}

// ---- the forms' values -------------------------------------------------

export interface TeamFields {
  name: string;
  distribution: string;
  max_per_agent: string;
  require_reason: boolean;
}

export function teamValues(f: TeamFields): Body {
  return { name: f.name.trim(), distribution: f.distribution, max_per_agent: parseCount(f.max_per_agent), require_reason: f.require_reason };
}

export interface ChannelFields {
  kind: string;
  name: string;
  phone: string;
  phone_number_id: string;
  waba_id: string;
  default_team: string;
  mark_read: boolean;
}

export function channelValues(f: ChannelFields): Body {
  return {
    kind: f.kind,
    name: f.name.trim(),
    phone: f.phone.trim(),
    phone_number_id: optionalText(f.phone_number_id),
    waba_id: optionalText(f.waba_id),
    default_team: f.default_team,
    mark_read: f.mark_read,
  };
}

export interface AgentFields {
  name: string;
  role: string;
  teams: string[];
  max_concurrent: string;
  login: string;
}

export function agentValues(f: AgentFields): Body {
  return { name: f.name.trim(), role: f.role, teams: f.teams, max_concurrent: parseCount(f.max_concurrent), login: optionalText(f.login) };
}

export interface PauseTypeFields {
  name: string;
  max_minutes: string;
  allowed_from: string;
}

export function pauseTypeValues(f: PauseTypeFields): Body {
  return { name: f.name.trim(), max_minutes: parseCount(f.max_minutes), allowed_from: parseTimeOfDay(f.allowed_from) };
}

export interface TemplateFields {
  channel: string;
  name: string;
  language: string;
  body: string;
  status: string;
}

/** Channel, name and language name a template and cannot change: only a create sends them. */
export function templateValues(f: TemplateFields, creating: boolean): Body {
  const changeable = { body: f.body, status: f.status };
  return creating ? { channel: f.channel, name: f.name.trim(), language: f.language.trim(), ...changeable } : changeable;
}

// ---- reading records ---------------------------------------------------

/** Where Meta's app sends a number's webhook: this server (the console is served by atende). */
export function webhookUrl(origin: string): string {
  return `${origin.replace(/\/$/, '')}/v1/webhooks/whatsapp`;
}

/** Counts by error code, "131047: 2 · 100: 1", biggest first; "0" when none. */
export function countsText(counts: Record<string, number>): string {
  const entries = Object.entries(counts).filter(([, n]) => n > 0);
  if (entries.length === 0) {
    return '0';
  }
  return entries
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([code, n]) => `${code}: ${n}`)
    .join(' · ');
}

export type HealthKey =
  | 'webhook_errors'
  | 'last_webhook_error'
  | 'accepted'
  | 'failed'
  | 'retried'
  | 'timeouts'
  | 'pending'
  | 'read_marks'
  | 'read_mark_failures'
  | 'last_error'
  | 'media.fetched'
  | 'media.failed'
  | 'media.retried'
  | 'media.pending'
  | 'media.last_error';

/** One line of a channel's health: absent (not reported), a number, counts by code, or the last error. */
export type HealthValue = { kind: 'absent' } | { kind: 'text'; text: string } | { kind: 'error'; error: ChannelError | null };

export interface HealthRow {
  key: HealthKey;
  /** Part of the webhook, of the sends, or of the media fetches. */
  group: 'webhook' | 'sends' | 'media';
  value: HealthValue;
}

function numberValue(n: unknown): HealthValue {
  return typeof n === 'number' ? { kind: 'text', text: String(n) } : { kind: 'absent' };
}

function countsValue(c: unknown): HealthValue {
  return c && typeof c === 'object' ? { kind: 'text', text: countsText(c as Record<string, number>) } : { kind: 'absent' };
}

function errorValue(e: unknown): HealthValue {
  if (e === undefined) {
    return { kind: 'absent' };
  }
  return { kind: 'error', error: e && typeof e === 'object' ? (e as ChannelError) : null };
}

/** Every line of the health table, in order; what the server did not report is absent. */
export function healthRows(h: ChannelHealth | undefined): HealthRow[] {
  const x = h ?? {};
  const m = x.media ?? {};
  return [
    { key: 'webhook_errors', group: 'webhook', value: countsValue(x.webhook_errors) },
    { key: 'last_webhook_error', group: 'webhook', value: errorValue(x.last_webhook_error) },
    { key: 'accepted', group: 'sends', value: numberValue(x.accepted) },
    { key: 'failed', group: 'sends', value: countsValue(x.failed) },
    { key: 'retried', group: 'sends', value: numberValue(x.retried) },
    { key: 'timeouts', group: 'sends', value: numberValue(x.timeouts) },
    { key: 'pending', group: 'sends', value: numberValue(x.pending) },
    { key: 'read_marks', group: 'sends', value: numberValue(x.read_marks) },
    { key: 'read_mark_failures', group: 'sends', value: numberValue(x.read_mark_failures) },
    { key: 'last_error', group: 'sends', value: errorValue(x.last_error) },
    { key: 'media.fetched', group: 'media', value: numberValue(m.fetched) },
    { key: 'media.failed', group: 'media', value: countsValue(m.failed) },
    { key: 'media.retried', group: 'media', value: numberValue(m.retried) },
    { key: 'media.pending', group: 'media', value: numberValue(m.pending) },
    { key: 'media.last_error', group: 'media', value: errorValue(m.last_error) },
  ];
}
