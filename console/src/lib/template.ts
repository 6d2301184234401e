import type { Template } from '../api/types';

// WhatsApp template bodies hold {{1}}, {{2}}… placeholders, numbered from 1
// without gaps (a placeholder may repeat). The API wants exactly as many
// params as the highest number (422 template_params_mismatch otherwise).

const PLACEHOLDER = /\{\{(\d+)\}\}/g;

/** The number of params the template takes: its highest placeholder. */
export function placeholderCount(body: string): number {
  let max = 0;
  for (const m of body.matchAll(PLACEHOLDER)) {
    max = Math.max(max, Number(m[1]));
  }
  return max;
}

export interface PreviewSegment {
  text: string;
  /** The placeholder number (from 1) when this segment is one. */
  param?: number;
  /** A placeholder segment whose param is still empty. */
  missing?: boolean;
}

/** The body cut into text and placeholders, for a highlighted live preview. */
export function previewSegments(body: string, params: readonly string[]): PreviewSegment[] {
  const segments: PreviewSegment[] = [];
  let last = 0;
  for (const m of body.matchAll(PLACEHOLDER)) {
    const at = m.index ?? 0;
    if (at > last) {
      segments.push({ text: body.slice(last, at) });
    }
    const n = Number(m[1]);
    const value = params[n - 1] ?? '';
    segments.push(value.trim() === '' ? { text: m[0], param: n, missing: true } : { text: value, param: n });
    last = at + m[0].length;
  }
  if (last < body.length) {
    segments.push({ text: body.slice(last) });
  }
  return segments;
}

/** The text the customer will read; empty params stay as {{n}}. */
export function fillTemplate(body: string, params: readonly string[]): string {
  return previewSegments(body, params)
    .map((s) => s.text)
    .join('');
}

/** Every placeholder has a non-blank value. */
export function paramsComplete(body: string, params: readonly string[]): boolean {
  const n = placeholderCount(body);
  for (let i = 0; i < n; i++) {
    if ((params[i] ?? '').trim() === '') {
      return false;
    }
  }
  return true;
}

/** params resized to the template's placeholder count, keeping what was typed. */
export function fitParams(body: string, params: readonly string[]): string[] {
  return Array.from({ length: placeholderCount(body) }, (_, i) => params[i] ?? '');
}

/** The templates an agent may send on a channel: approved ones, by name. */
export function sendableTemplates(templates: readonly Template[], channel: string): Template[] {
  return templates
    .filter((t) => t.channel === channel && t.status === 'approved')
    .sort((a, b) => a.name.localeCompare(b.name) || a.language.localeCompare(b.language));
}
