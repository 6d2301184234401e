import { useState } from 'preact/hooks';
import type { Reason } from '../../../api/types';
import { Modal } from '../../../components/Modal';
import { t } from '../../../i18n';
import { Field, IdField, IdLine, inputValue, NameCell, RecordForm, SettingsPage, useRecords, useSave } from './kit';

/** Motivos: the qualification reasons an agent picks when finishing a conversation. */
export function ReasonsSettings() {
  const records = useRecords('reasons');
  const [dialog, setDialog] = useState<Reason | 'new' | null>(null);
  const close = () => setDialog(null);
  return (
    <SettingsPage
      section="reasons"
      intro={t('settings.reasons.intro')}
      newLabel={t('settings.reasons.new')}
      empty={t('settings.reasons.empty')}
      records={records}
      rowName={(r) => r.name}
      onNew={() => setDialog('new')}
      onEdit={setDialog}
      columns={[{ label: t('settings.col.name'), cell: (r) => <NameCell name={r.name} id={r.id} /> }]}
    >
      {dialog && (
        <Modal title={dialog === 'new' ? t('settings.reasons.new') : t('settings.reasons.edit_title', { name: dialog.name })} onClose={close}>
          <ReasonForm record={dialog === 'new' ? null : dialog} reload={records.reload} onDone={close} />
        </Modal>
      )}
    </SettingsPage>
  );
}

function ReasonForm({ record, reload, onDone }: { record: Reason | null; reload: () => Promise<void>; onDone: () => void }) {
  const [id, setId] = useState('');
  const [name, setName] = useState(record?.name ?? '');
  const state = useSave('reasons', record, reload, onDone);
  return (
    <RecordForm state={state} submitLabel={record ? t('settings.save') : t('settings.create')} onSubmit={() => state.save({ name: name.trim() }, { id })} onCancel={onDone}>
      {record && <IdLine id={record.id} />}
      <Field name="name" label={t('settings.reasons.name')} hint={t('settings.reasons.name_hint')} required>
        {(a) => <input {...a} value={name} onInput={(e) => setName(inputValue(e))} />}
      </Field>
      {!record && <IdField value={id} onInput={setId} />}
    </RecordForm>
  );
}
