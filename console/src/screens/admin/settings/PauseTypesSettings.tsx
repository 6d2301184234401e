import { useState } from 'preact/hooks';
import type { PauseType } from '../../../api/types';
import { Modal } from '../../../components/Modal';
import { t } from '../../../i18n';
import { Field, IdField, IdLine, inputValue, NameCell, RecordForm, SettingsPage, useRecords, useSave } from './kit';
import { pauseTypeValues } from './settings-logic';

/** Pausas: the kinds of pause an agent may take, their maximum and the earliest time they may start. */
export function PauseTypesSettings() {
  const records = useRecords('pause-types');
  const [dialog, setDialog] = useState<PauseType | 'new' | null>(null);
  const close = () => setDialog(null);
  return (
    <SettingsPage
      section="pause-types"
      intro={t('settings.pause_types.intro')}
      newLabel={t('settings.pause_types.new')}
      empty={t('settings.pause_types.empty')}
      records={records}
      rowName={(r) => r.name}
      onNew={() => setDialog('new')}
      onEdit={setDialog}
      columns={[
        { label: t('settings.col.name'), cell: (r) => <NameCell name={r.name} id={r.id} /> },
        { label: t('settings.pause_types.max_minutes'), cell: (r) => t('settings.minutes', { n: r.max_minutes }), num: true },
        { label: t('settings.pause_types.allowed_from'), cell: (r) => (r.allowed_from ? t('settings.pause_types.from', { time: r.allowed_from }) : t('settings.pause_types.any_time')) },
      ]}
    >
      {dialog && (
        <Modal title={dialog === 'new' ? t('settings.pause_types.new') : t('settings.pause_types.edit_title', { name: dialog.name })} onClose={close}>
          <PauseTypeForm record={dialog === 'new' ? null : dialog} reload={records.reload} onDone={close} />
        </Modal>
      )}
    </SettingsPage>
  );
}

function PauseTypeForm({ record, reload, onDone }: { record: PauseType | null; reload: () => Promise<void>; onDone: () => void }) {
  const [id, setId] = useState('');
  const [name, setName] = useState(record?.name ?? '');
  const [maxMinutes, setMaxMinutes] = useState(record ? String(record.max_minutes) : '');
  const [allowedFrom, setAllowedFrom] = useState(record?.allowed_from ?? '');
  const state = useSave('pause-types', record, reload, onDone);
  const submit = () => state.save(pauseTypeValues({ name, max_minutes: maxMinutes, allowed_from: allowedFrom }), { id });
  return (
    <RecordForm state={state} submitLabel={record ? t('settings.save') : t('settings.create')} onSubmit={submit} onCancel={onDone}>
      {record && <IdLine id={record.id} />}
      <Field name="name" label={t('settings.pause_types.name')} required>
        {(a) => <input {...a} value={name} onInput={(e) => setName(inputValue(e))} />}
      </Field>
      <Field name="max_minutes" label={t('settings.pause_types.max_minutes_label')} hint={t('settings.pause_types.max_minutes_hint')} required>
        {(a) => <input {...a} type="number" min={1} step={1} inputMode="numeric" class="narrow" value={maxMinutes} onInput={(e) => setMaxMinutes(inputValue(e))} />}
      </Field>
      <Field name="allowed_from" label={t('settings.pause_types.allowed_from_label')} hint={t('settings.pause_types.allowed_from_hint')}>
        {(a) => (
          <div class="inline-row">
            <input {...a} type="time" class="narrow" value={allowedFrom} onInput={(e) => setAllowedFrom(inputValue(e))} onChange={(e) => setAllowedFrom(inputValue(e))} />
            <button type="button" disabled={allowedFrom === ''} onClick={() => setAllowedFrom('')}>
              {t('settings.pause_types.clear_time')}
            </button>
          </div>
        )}
      </Field>
      {!record && <IdField value={id} onInput={setId} />}
    </RecordForm>
  );
}
