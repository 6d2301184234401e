import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useId, useRef, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../../../api/error';
import { createRecord, listRecords, patchRecord, REF_KIND, type SettingsRecords, type SettingsResource } from '../../../api/settings';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { t, type MessageKey } from '../../../i18n';
import { useStore } from '../../../state/context';
import { changedFields, createBody, type Body } from './settings-logic';
import type { SettingsSection } from './Settings';

// What the configuration screens share: the list of a resource, the page
// with its table and "Novo …" button, and the form with its fields, its
// refusal and its buttons.

/** What a table cell shows for a value the server did not give. */
export const DASH = '—';

export interface Records<T> {
  items: T[] | null;
  error: ApiError | null;
  reload: () => Promise<void>;
}

/** Every record of the resource (every page), loaded on mount. */
export function useRecords<R extends SettingsResource>(resource: R): Records<SettingsRecords[R]> {
  const store = useStore();
  const alive = useRef(true);
  const [state, setState] = useState<{ items: Array<SettingsRecords[R]> | null; error: ApiError | null }>({ items: null, error: null });
  const reload = useCallback(async () => {
    try {
      const items = await listRecords(store.deps.api, resource);
      if (alive.current) {
        setState({ items, error: null });
      }
    } catch (e) {
      if (alive.current) {
        setState((s) => ({ items: s.items, error: toApiError(e) }));
      }
    }
  }, [resource]);
  useEffect(() => {
    alive.current = true;
    void reload();
    return () => {
      alive.current = false;
    };
  }, [reload]);
  return { ...state, reload };
}

// ---- the page ---------------------------------------------------------------

export interface Column<T> {
  label: string;
  cell: (row: T) => ComponentChildren;
  num?: boolean;
}

/** A section: its title, what it is for, "Novo …", and the table with "Editar" on each row. */
export function SettingsPage<T extends { id: string }>(props: {
  section: SettingsSection;
  intro: string;
  newLabel: string;
  empty: string;
  records: Records<T>;
  columns: Array<Column<T>>;
  rowName: (row: T) => string;
  onNew: () => void;
  onEdit: (row: T) => void;
  rowActions?: (row: T) => ComponentChildren;
  children?: ComponentChildren;
}) {
  const { items, error } = props.records;
  const title = t(`admin.settings.${props.section}` as MessageKey);
  return (
    <section class={`admin-page settings settings-${props.section}`} aria-labelledby="admin-page-title">
      <h1 id="admin-page-title">{title}</h1>
      <p class="settings-intro muted">{props.intro}</p>
      <div class="admin-toolbar">
        <button type="button" class="primary" onClick={props.onNew}>
          {props.newLabel}
        </button>
      </div>
      <ErrorMessage error={error} />
      {items === null ? (
        !error && <p class="muted">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p class="muted settings-empty">{props.empty}</p>
      ) : (
        <table class="data-table settings-table">
          <caption class="sr-only">{title}</caption>
          <thead>
            <tr>
              {props.columns.map((c) => (
                <th key={c.label} scope="col" class={c.num ? 'num' : undefined}>
                  {c.label}
                </th>
              ))}
              <th scope="col">
                <span class="sr-only">{t('settings.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((row) => (
              <tr key={row.id}>
                {props.columns.map((c) => (
                  <td key={c.label} class={c.num ? 'num' : undefined} data-label={c.label}>
                    <div class="cell">{c.cell(row)}</div>
                  </td>
                ))}
                <td class="row-actions-cell">
                  <div class="row-actions">
                    <button type="button" onClick={() => props.onEdit(row)}>
                      {t('settings.edit')}
                      <span class="sr-only"> {props.rowName(row)}</span>
                    </button>
                    {props.rowActions?.(row)}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.children}
    </section>
  );
}

/** A record's name with its id under it (the id is what the API and the envelopes use). */
export function NameCell({ name, id }: { name: string; id: string }) {
  return (
    <>
      <span class="record-name">{name}</span>
      <span class="record-id muted">{id}</span>
    </>
  );
}

// ---- saving -----------------------------------------------------------------

export interface SaveState {
  busy: boolean;
  error: ApiError | null;
  /** The id of the refusal's paragraph: the field it names points at it. */
  errorId: string;
}

/**
 * Creates (POST, the id only when typed) or changes (PATCH with only the
 * changed fields) a record; then reloads the screen's list and the
 * console's reference list, and calls `done` with the reply. A refusal
 * keeps the form as it was and shows the API's error.
 */
export function useSave<R extends SettingsResource, Reply = SettingsRecords[R]>(
  resource: R,
  record: SettingsRecords[R] | null,
  reload: () => Promise<void>,
  done: (reply: Reply | null) => void,
): SaveState & { save: (values: Body, more?: { id?: string; extra?: Body }) => Promise<void> } {
  const store = useStore();
  const errorId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const save = async (values: Body, more: { id?: string; extra?: Body } = {}) => {
    const extra = Object.fromEntries(Object.entries(more.extra ?? {}).filter(([, v]) => v !== undefined));
    let request: Promise<unknown>;
    if (record === null) {
      request = createRecord(store.deps.api, resource, { ...createBody(values, more.id ?? ''), ...extra });
    } else {
      const body = { ...changedFields(record, values), ...extra };
      if (Object.keys(body).length === 0) {
        done(null);
        return;
      }
      request = patchRecord(store.deps.api, resource, record.id, body);
    }
    setBusy(true);
    setError(null);
    try {
      const reply = (await request) as Reply;
      await Promise.all([reload(), store.config.reload(REF_KIND[resource])]);
      setBusy(false);
      done(reply);
    } catch (e) {
      setError(toApiError(e));
      setBusy(false);
    }
  };

  return { busy, error, errorId, save };
}

const FormErrorContext = createContext<{ error: ApiError | null; errorId: string }>({ error: null, errorId: '' });

/** The form of a dialog: its fields, the API's refusal, Cancelar and the save button. */
export function RecordForm(props: { state: SaveState; submitLabel: string; onSubmit: () => void; onCancel: () => void; children: ComponentChildren }) {
  const { busy, error, errorId } = props.state;
  return (
    <form
      class="settings-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) {
          props.onSubmit();
        }
      }}
    >
      <FormErrorContext.Provider value={{ error, errorId }}>
        <p class="muted required-note">{t('settings.required_note')}</p>
        {props.children}
      </FormErrorContext.Provider>
      <ErrorMessage error={error} id={errorId} />
      <div class="form-actions">
        <button type="button" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('common.working') : props.submitLabel}
        </button>
      </div>
    </form>
  );
}

/** Whether the API's refusal names this field, and how the field points at it. */
export function useInvalid(name: string): { 'aria-invalid'?: 'true'; describedBy?: string } {
  const { error, errorId } = useContext(FormErrorContext);
  return error?.field === name ? { 'aria-invalid': 'true', describedBy: errorId } : {};
}

export interface FieldAttrs {
  id: string;
  required?: boolean;
  'aria-invalid'?: 'true';
  'aria-describedby'?: string;
}

/** A labelled field: "*" when required, a hint under it, aria-invalid when the refusal names it. */
export function Field(props: { name: string; label: string; required?: boolean; hint?: ComponentChildren; children: (attrs: FieldAttrs) => ComponentChildren }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const invalid = useInvalid(props.name);
  const describedBy = [props.hint ? hintId : '', invalid.describedBy ?? ''].filter(Boolean).join(' ');
  const attrs: FieldAttrs = { id };
  if (props.required) {
    attrs.required = true;
  }
  if (invalid['aria-invalid']) {
    attrs['aria-invalid'] = 'true';
  }
  if (describedBy) {
    attrs['aria-describedby'] = describedBy;
  }
  return (
    <div class={`field field-${props.name}`}>
      <label for={id}>
        {props.label}
        {props.required && <RequiredMark />}
      </label>
      {props.children(attrs)}
      {props.hint && (
        <small id={hintId} class="field-hint muted">
          {props.hint}
        </small>
      )}
    </div>
  );
}

export function RequiredMark() {
  return (
    <span class="required-mark" aria-hidden="true">
      {' '}
      *
    </span>
  );
}

/** A yes/no field. */
export function Check(props: { name: string; label: string; checked: boolean; onChange: (v: boolean) => void; hint?: string; disabled?: boolean }) {
  const hintId = useId();
  const invalid = useInvalid(props.name);
  const describedBy = [props.hint ? hintId : '', invalid.describedBy ?? ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`check-field field-${props.name}`}>
      <label class="check">
        <input
          type="checkbox"
          checked={props.checked}
          disabled={props.disabled}
          aria-invalid={invalid['aria-invalid']}
          aria-describedby={describedBy}
          onChange={(e) => props.onChange((e.target as HTMLInputElement).checked)}
        />
        <span>{props.label}</span>
      </label>
      {props.hint && (
        <small id={hintId} class="field-hint muted">
          {props.hint}
        </small>
      )}
    </div>
  );
}

/** The optional "Identificador" of a create: blank lets the server choose. */
export function IdField({ value, onInput }: { value: string; onInput: (v: string) => void }) {
  return (
    <Field name="id" label={t('settings.id')} hint={t('settings.id_hint')}>
      {(a) => <input {...a} value={value} autocomplete="off" spellcheck={false} onInput={(e) => onInput((e.target as HTMLInputElement).value)} />}
    </Field>
  );
}

/** On edit: the record's id, which does not change. */
export function IdLine({ id }: { id: string }) {
  return <p class="muted id-line">{t('settings.id_fixed', { id })}</p>;
}

export function inputValue(e: Event): string {
  return (e.target as HTMLInputElement).value;
}

// ---- copying ----------------------------------------------------------------

async function copyText(text: string, input: HTMLTextAreaElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Not allowed here: select it and copy the old way.
  }
  if (input) {
    input.focus();
    input.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
  return false;
}

/**
 * A read-only value with a "Copiar" button; the result is announced. The
 * value wraps, so all of it shows (a URL, a token).
 */
export function CopyField(props: { label: string; value: string; copyLabel?: string; autoFocus?: boolean }) {
  const id = useId();
  const box = useRef<HTMLTextAreaElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (props.autoFocus) {
      button.current?.focus();
    }
  }, []);
  return (
    <div class="field copy-field">
      <label for={id}>{props.label}</label>
      <div class="copy-row">
        <textarea id={id} ref={box} class="copy-value" readOnly rows={2} spellcheck={false} value={props.value} />
        <button type="button" ref={button} onClick={async () => setState((await copyText(props.value, box.current)) ? 'copied' : 'failed')}>
          {props.copyLabel ?? t('settings.copy')}
        </button>
      </div>
      <small class="copy-status muted" role="status">
        {state === 'copied' ? t('settings.copied') : state === 'failed' ? t('settings.copy_failed') : ''}
      </small>
    </div>
  );
}
