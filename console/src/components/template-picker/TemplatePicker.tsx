import { useEffect, useId, useMemo, useState } from 'preact/hooks';
import type { ApiError } from '../../api/error';
import type { Template, TemplateSend } from '../../api/types';
import { t } from '../../i18n';
import { fitParams, paramsComplete, previewSegments, sendableTemplates } from '../../lib/template';
import { ErrorMessage } from '../ErrorMessage';

/**
 * TemplatePicker: choose an approved template of the channel, fill one
 * field per {{n}} and see the message as the customer will read it. Used
 * by the composer (window closed) and by Nova conversa.
 */
export interface TemplatePickerProps {
  channel: string;
  templates: readonly Template[] | null;
  loading?: boolean;
  busy?: boolean;
  error?: ApiError | null;
  submitLabel: string;
  /** Params filled in advance (e.g. {{1}} = the contact's name). */
  suggest?: (template: Template) => string[];
  onSubmit: (send: TemplateSend) => void;
  onCancel?: () => void;
}

export function TemplatePicker(props: TemplatePickerProps) {
  const uid = useId();
  const options = useMemo(() => sendableTemplates(props.templates ?? [], props.channel), [props.templates, props.channel]);
  const [chosenId, setChosenId] = useState<string>('');
  const [params, setParams] = useState<string[]>([]);
  const chosen = options.find((x) => x.id === chosenId) ?? null;

  useEffect(() => {
    if (chosenId && !chosen) {
      setChosenId('');
    }
  }, [options]);

  const choose = (id: string) => {
    setChosenId(id);
    const tpl = options.find((x) => x.id === id);
    if (tpl) {
      setParams(fitParams(tpl.body, props.suggest?.(tpl) ?? []));
    }
  };

  const setParam = (i: number, value: string) => {
    const next = params.slice();
    next[i] = value;
    setParams(next);
  };

  const complete = chosen !== null && paramsComplete(chosen.body, params);
  const submit = (e: Event) => {
    e.preventDefault();
    if (chosen && complete && !props.busy) {
      props.onSubmit({ name: chosen.name, language: chosen.language, params: params.map((p) => p.trim()) });
    }
  };

  if (props.templates === null || props.loading) {
    return <p class="muted">{t('common.loading')}</p>;
  }
  if (options.length === 0) {
    return (
      <div class="template-picker">
        <p class="muted">{t('template.none')}</p>
        {props.onCancel && (
          <button type="button" onClick={props.onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    );
  }

  return (
    <form class="template-picker" onSubmit={submit}>
      <label for={`${uid}-tpl`}>{t('template.choose')}</label>
      <select id={`${uid}-tpl`} value={chosenId} onChange={(e) => choose((e.target as HTMLSelectElement).value)} required>
        <option value="">{t('template.choose_placeholder')}</option>
        {options.map((tpl) => (
          <option key={tpl.id} value={tpl.id}>
            {tpl.name} ({tpl.language})
          </option>
        ))}
      </select>

      {chosen && (
        <>
          {params.length > 0 && (
            <fieldset class="template-params">
              <legend>{t('template.params')}</legend>
              {params.map((value, i) => (
                <label key={i} class="field">
                  <span>{t('template.param', { n: i + 1 })}</span>
                  <input value={value} required onInput={(e) => setParam(i, (e.target as HTMLInputElement).value)} />
                </label>
              ))}
            </fieldset>
          )}
          <div class="template-preview" aria-live="polite">
            <span class="template-preview-label">{t('template.preview')}</span>
            <p>
              {previewSegments(chosen.body, params).map((s, i) =>
                s.param ? (
                  <mark key={i} class={s.missing ? 'missing' : ''}>
                    {s.text}
                  </mark>
                ) : (
                  <span key={i}>{s.text}</span>
                ),
              )}
            </p>
          </div>
        </>
      )}

      <ErrorMessage error={props.error} />
      <div class="form-actions">
        {props.onCancel && (
          <button type="button" onClick={props.onCancel}>
            {t('common.cancel')}
          </button>
        )}
        <button type="submit" class="primary" disabled={!complete || props.busy}>
          {props.busy ? t('common.sending') : props.submitLabel}
        </button>
      </div>
    </form>
  );
}
