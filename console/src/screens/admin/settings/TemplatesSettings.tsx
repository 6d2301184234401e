import { useEffect, useState } from 'preact/hooks';
import type { Template, TemplateStatus } from '../../../api/types';
import { Modal } from '../../../components/Modal';
import { t, type MessageKey } from '../../../i18n';
import { previewSegments } from '../../../lib/template';
import { useStore } from '../../../state/context';
import { Field, IdField, IdLine, inputValue, NameCell, RecordForm, SettingsPage, useRecords, useSave } from './kit';
import { templateValues } from './settings-logic';

const STATUSES: readonly TemplateStatus[] = ['approved', 'pending', 'rejected', 'paused', 'disabled'];

export function templateStatusName(s: string): string {
  return STATUSES.includes(s as TemplateStatus) ? t(`settings.templates.status.${s}` as MessageKey) : s;
}

/** Modelos de mensagem: WhatsApp templates per channel as Meta approved them, with a preview of the text. */
export function TemplatesSettings() {
  const store = useStore();
  const records = useRecords('templates');
  const [dialog, setDialog] = useState<Template | 'new' | null>(null);
  const close = () => setDialog(null);

  useEffect(() => {
    void store.config.ensure('channels');
  }, []);

  return (
    <SettingsPage
      section="templates"
      intro={t('settings.templates.intro')}
      newLabel={t('settings.templates.new')}
      empty={t('settings.templates.empty')}
      records={records}
      rowName={(r) => `${r.name} (${r.language})`}
      onNew={() => setDialog('new')}
      onEdit={setDialog}
      columns={[
        { label: t('settings.col.name'), cell: (r) => <NameCell name={r.name} id={r.id} /> },
        { label: t('settings.templates.language'), cell: (r) => <code>{r.language}</code> },
        { label: t('settings.templates.channel'), cell: (r) => store.config.name('channels', r.channel) },
        { label: t('settings.templates.status_label'), cell: (r) => <StatusPill status={r.status} /> },
        { label: t('settings.templates.preview'), cell: (r) => <BodyPreview body={r.body} /> },
      ]}
    >
      {dialog && (
        <Modal title={dialog === 'new' ? t('settings.templates.new') : t('settings.templates.edit_title', { name: dialog.name })} onClose={close} wide>
          <TemplateForm record={dialog === 'new' ? null : dialog} reload={records.reload} onDone={close} />
        </Modal>
      )}
    </SettingsPage>
  );
}

export function StatusPill({ status }: { status: string }) {
  return <span class={`status-pill status-${status}`}>{templateStatusName(status)}</span>;
}

/** The body with its placeholders ({{1}}…) marked. */
export function BodyPreview({ body }: { body: string }) {
  return (
    <span class="template-body">
      {previewSegments(body, []).map((s, i) =>
        s.param ? (
          <mark key={i} class="template-param">
            {s.text}
          </mark>
        ) : (
          s.text
        ),
      )}
    </span>
  );
}

function TemplateForm({ record, reload, onDone }: { record: Template | null; reload: () => Promise<void>; onDone: () => void }) {
  const store = useStore();
  const channels = store.config.lists.channels.value;
  const [id, setId] = useState('');
  const [channel, setChannel] = useState(record?.channel ?? '');
  const [name, setName] = useState(record?.name ?? '');
  const [language, setLanguage] = useState(record?.language ?? 'pt_BR');
  const [body, setBody] = useState(record?.body ?? '');
  const [status, setStatus] = useState<string>(record?.status ?? 'approved');
  const state = useSave('templates', record, reload, onDone);
  const fixed = record !== null;
  const fixedHint = fixed ? t('settings.templates.fixed_hint') : undefined;

  const submit = () => state.save(templateValues({ channel, name, language, body, status }, !fixed), { id });

  return (
    <RecordForm state={state} submitLabel={record ? t('settings.save') : t('settings.create')} onSubmit={submit} onCancel={onDone}>
      {record && <IdLine id={record.id} />}
      <div class="form-grid">
        <Field name="channel" label={t('settings.templates.channel')} required={!fixed} hint={fixedHint}>
          {(a) => (
            <select {...a} value={channel} disabled={fixed} onChange={(e) => setChannel(inputValue(e))}>
              <option value="">{channels.items === null ? t('common.loading') : t('common.choose')}</option>
              {(channels.items ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="status" label={t('settings.templates.status_label')} required>
          {(a) => (
            <select {...a} value={status} onChange={(e) => setStatus(inputValue(e))}>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {templateStatusName(s)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="name" label={t('settings.templates.name')} hint={fixedHint ?? t('settings.templates.name_hint')} required={!fixed}>
          {(a) => <input {...a} value={name} disabled={fixed} autocomplete="off" spellcheck={false} onInput={(e) => setName(inputValue(e))} />}
        </Field>
        <Field name="language" label={t('settings.templates.language')} hint={fixedHint ?? t('settings.templates.language_hint')} required={!fixed}>
          {(a) => <input {...a} value={language} disabled={fixed} autocomplete="off" spellcheck={false} onInput={(e) => setLanguage(inputValue(e))} />}
        </Field>
      </div>
      <Field name="body" label={t('settings.templates.body')} hint={t('settings.templates.body_hint')} required>
        {(a) => <textarea {...a} rows={4} value={body} onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)} />}
      </Field>
      <div class="settings-preview">
        <span class="field-label">{t('settings.templates.preview')}</span>
        <p class="template-bubble">{body.trim() ? <BodyPreview body={body} /> : <span class="muted">{t('settings.templates.preview_empty')}</span>}</p>
      </div>
      {!record && <IdField value={id} onInput={setId} />}
    </RecordForm>
  );
}
