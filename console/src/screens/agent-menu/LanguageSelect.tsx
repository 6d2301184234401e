import { useId } from 'preact/hooks';
import { isLang, lang, LANG_KEY, LANGS, t } from '../../i18n';
import { useStore } from '../../state/context';

const NAMES = { 'pt-BR': 'Português (Brasil)', en: 'English' } as const;

export function LanguageSelect() {
  const store = useStore();
  const id = useId();
  return (
    <label class="inline-field" for={id}>
      <span>{t('menu.language')}</span>
      <select
        id={id}
        value={lang.value}
        onChange={(e) => {
          const v = (e.target as HTMLSelectElement).value;
          if (isLang(v)) {
            lang.value = v;
            store.deps.local.setItem(LANG_KEY, v);
            document.documentElement.lang = v;
          }
        }}
      >
        {LANGS.map((l) => (
          <option key={l} value={l}>
            {NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
