import { signal } from '@preact/signals';
import { en } from './en';
import { ptBR, type MessageKey } from './pt-BR';

// Every string a person sees comes from here: pt-BR (the default, and the
// source of the keys) and English. `t` reads the `lang` signal, so a
// component that calls it re-renders when the language changes.
//
//   t('inbox.tab.mine')                 → "Meus"
//   t('inbox.selected', { n: 3 })       → "3 selecionadas"

export type { MessageKey };
export type Lang = 'pt-BR' | 'en';
export type Vars = Record<string, string | number>;

export const LANGS: readonly Lang[] = ['pt-BR', 'en'];

export const catalogues: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = {
  'pt-BR': ptBR,
  en,
};

export const LANG_KEY = 'atende.lang';

export const lang = signal<Lang>('pt-BR');

export function isLang(x: unknown): x is Lang {
  return typeof x === 'string' && (LANGS as readonly string[]).includes(x);
}

export function translate(l: Lang, key: MessageKey, vars?: Vars): string {
  const text = catalogues[l][key] ?? catalogues['pt-BR'][key] ?? key;
  if (!vars) {
    return text;
  }
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export function t(key: MessageKey, vars?: Vars): string {
  return translate(lang.value, key, vars);
}

/** Keys that have `.one` and `.other` forms, without the suffix. */
export type PluralKey = MessageKey extends infer K ? (K extends `${infer B}.one` ? B : never) : never;

/** The singular or plural form: `key.one` / `key.other` with {n}. */
export function tn(key: PluralKey, n: number, vars: Vars = {}): string {
  const form = (n === 1 ? `${key}.one` : `${key}.other`) as MessageKey;
  return t(form, { ...vars, n });
}

/** The placeholders ({name}) a text uses, for the catalogue's test. */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}
