import { useId } from 'preact/hooks';
import { t } from '../../i18n';
import { checkPhone } from '../../lib/phone';

/** The customer's number, checked as it is typed (country, area code, number). */
export function PhoneField({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const uid = useId();
  const check = checkPhone(value);
  let feedback: { text: string; tone: 'hint' | 'error' | 'ok' | 'warn' } | null = null;
  switch (check.state) {
    case 'empty':
      feedback = { text: t('phone.format'), tone: 'hint' };
      break;
    case 'incomplete':
      feedback = { text: t(check.hint), tone: 'hint' };
      break;
    case 'invalid':
      feedback = { text: t(check.problem), tone: 'error' };
      break;
    case 'valid':
      feedback = check.warning ? { text: `${check.formatted} · ${t(check.warning)}`, tone: 'warn' } : { text: `✓ ${check.formatted}`, tone: 'ok' };
      break;
  }
  return (
    <label class="field">
      <span>{t('new.to')}</span>
      <input
        type="tel"
        inputMode="numeric"
        autocomplete="off"
        required
        value={value}
        aria-invalid={check.state === 'invalid'}
        aria-describedby={`${uid}-feedback`}
        placeholder="5511987654321"
        onInput={(e) => onChange((e.target as HTMLInputElement).value)}
      />
      <small id={`${uid}-feedback`} class={`phone-feedback ${feedback.tone}`} aria-live="polite">
        {feedback.text}
      </small>
    </label>
  );
}
