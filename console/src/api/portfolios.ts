import { MAX_LIMIT, type ApiClient } from './client';
import type { BulkResult, Contact, ContactsChanged, Id, Page, PortfolioItem } from './types';

// Portfolios (carteiras) and contacts as the administration screens use
// them (docs/api.md "Contacts", "Portfolios"): the types the shared
// client does not have yet, and one function per call, all through the
// client's generic `request` and `listAll`.

/** The part of the client these calls need. */
export type RecordsApi = Pick<ApiClient, 'request' | 'listAll'>;

// ---- business hours ------------------------------------------------------

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** `[start, end]`, "HH:MM": open from start up to, not including, end ("24:00" allowed as end). */
export type Interval = [string, string];

/** A portfolio's business hours (docs/api.md "Business hours"); a missing day is closed. */
export interface BusinessHours {
  /** An IANA zone; without it the tenant's time zone applies. */
  timezone?: string;
  week: Partial<Record<Weekday, Interval[]>>;
}

// ---- portfolios ------------------------------------------------------------

/** The portfolio item of GET /v1/portfolios, with its hours (null: always open). */
export interface Portfolio extends PortfolioItem {
  hours: BusinessHours | null;
}

/** What POST /v1/portfolios and PATCH /v1/portfolios/{id} take. */
export interface PortfolioBody {
  /** Only on create; generated (pf_…) when absent. */
  id?: Id;
  name: string;
  code: string | null;
  responsible: Id;
  members: Id[];
  hours: BusinessHours | null;
}

/** An item of GET /v1/portfolios/{id}/contacts. */
export interface PortfolioContact {
  id: Id;
  name: string;
  phone: string;
  tags: string[];
}

/** `add_filter`: contacts whose name starts with `name` (case-insensitive) and that carry `tag`. */
export interface ContactFilter {
  name?: string;
  tag?: string;
}

export interface ContactsChange {
  add?: Id[];
  remove?: Id[];
  add_filter?: ContactFilter;
}

const enc = encodeURIComponent;

export function listPortfolios(api: RecordsApi): Promise<Portfolio[]> {
  return api.listAll<Portfolio>('/v1/portfolios');
}

export function createPortfolio(api: RecordsApi, body: PortfolioBody): Promise<Portfolio> {
  return api.request('POST', '/v1/portfolios', { body });
}

export function updatePortfolio(api: RecordsApi, id: Id, body: PortfolioBody): Promise<Portfolio> {
  return api.request('PATCH', `/v1/portfolios/${enc(id)}`, { body });
}

/** Each id deleted on its own; one result per id, in order. */
export function deletePortfolios(api: RecordsApi, ids: Id[]): Promise<BulkResult> {
  return api.request('POST', '/v1/portfolios/delete', { body: { ids } });
}

export function portfolioContacts(api: RecordsApi, id: Id, cursor: string | null, limit = 50): Promise<Page<PortfolioContact>> {
  return api.request('GET', `/v1/portfolios/${enc(id)}/contacts`, { query: { limit, cursor } });
}

export function changePortfolioContacts(api: RecordsApi, id: Id, change: ContactsChange): Promise<ContactsChanged> {
  return api.request('POST', `/v1/portfolios/${enc(id)}/contacts`, { body: change });
}

// ---- contacts --------------------------------------------------------------

/** What PATCH /v1/contacts/{id} may change from the contacts screen. */
export interface ContactPatch {
  name?: string;
  tags?: string[];
  stage?: string | null;
  departments?: string[];
  portfolios?: Id[];
}

/** One refused row of an import; `line` 1 is the header. */
export interface ImportLineError {
  line: number;
  code: string;
  field?: string;
  message: string;
}

export interface ImportResult {
  imported: number;
  updated: number;
  errors: ImportLineError[];
}

/**
 * The query of GET /v1/contacts for what a person typed: a number (digits,
 * with the usual decoration of "+55 (11) 98765-4321") by `phone`, anything
 * else as a name prefix `q`; nothing lists every contact.
 */
export function contactsQuery(text: string): { phone?: string; q?: string } {
  const trimmed = text.trim();
  if (trimmed === '') {
    return {};
  }
  const digits = trimmed.replace(/[\s().\-+]/g, '');
  return /^\d+$/.test(digits) ? { phone: digits } : { q: trimmed };
}

export function searchContacts(api: RecordsApi, text: string, cursor: string | null, limit = 25): Promise<Page<Contact>> {
  return api.request('GET', '/v1/contacts', { query: { ...contactsQuery(text), limit, cursor } });
}

export function updateContact(api: RecordsApi, id: Id, patch: ContactPatch): Promise<Contact> {
  return api.request('PATCH', `/v1/contacts/${enc(id)}`, { body: patch });
}

/** The file's bytes as the body, always typed text/csv (a browser may give a .csv no type, or Excel's). */
export function importContacts(api: RecordsApi, file: Blob): Promise<ImportResult> {
  const csv = file.type === 'text/csv' ? file : new Blob([file], { type: 'text/csv' });
  return api.request('POST', '/v1/contacts/import', { file: csv });
}

// ---- counting a filter -------------------------------------------------------

/** What an `add_filter` would do now: the contacts it matches, and how many of them the portfolio already holds. */
export interface FilterCount {
  matching: number;
  already: number;
}

/** Whether a contact has the filter's tag (the engine compares tags exactly). */
export function hasFilterTag(contact: Pick<Contact, 'tags'>, filter: ContactFilter): boolean {
  return !filter.tag || contact.tags.includes(filter.tag);
}

/**
 * countByFilter counts, page by page (500 a page), the contacts an
 * `add_filter` matches: GET /v1/contacts by name prefix (`q`) and tag
 * (`tag`), the same rule as the filter's. The tag is checked again on each
 * contact, so that a server that ignores `tag` still gives the right count
 * (only more slowly). `portfolio`
 * counts those already in it (they would not be added again). `onPage` is
 * told the running count; a true `stop()` ends the count early (null).
 */
export async function countByFilter(
  api: RecordsApi,
  filter: ContactFilter,
  portfolio: Id | null,
  opts: { onPage?: (count: FilterCount) => void; stop?: () => boolean } = {},
): Promise<FilterCount | null> {
  const count: FilterCount = { matching: 0, already: 0 };
  let cursor: string | null = null;
  do {
    const page: Page<Contact> = await api.request<Page<Contact>>('GET', '/v1/contacts', {
      query: { q: filter.name || undefined, tag: filter.tag || undefined, limit: MAX_LIMIT, cursor },
    });
    if (opts.stop?.()) {
      return null;
    }
    for (const c of page.items) {
      if (hasFilterTag(c, filter)) {
        count.matching++;
        if (portfolio !== null && c.portfolios.includes(portfolio)) {
          count.already++;
        }
      }
    }
    cursor = page.next_cursor;
    opts.onPage?.({ ...count });
  } while (cursor);
  return count;
}

/** The filter as the API wants it: trimmed, empty parts left out; null when nothing is left. */
export function cleanFilter(filter: ContactFilter): ContactFilter | null {
  const out: ContactFilter = {};
  const name = filter.name?.trim();
  const tag = filter.tag?.trim();
  if (name) {
    out.name = name;
  }
  if (tag) {
    out.tag = tag;
  }
  return out.name || out.tag ? out : null;
}
