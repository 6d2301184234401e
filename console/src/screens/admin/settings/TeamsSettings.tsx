import { useState } from 'preact/hooks';
import type { Distribution, Team } from '../../../api/types';
import { Modal } from '../../../components/Modal';
import { t, type MessageKey } from '../../../i18n';
import { Check, Field, IdField, IdLine, inputValue, NameCell, RecordForm, SettingsPage, useRecords, useSave } from './kit';
import { teamValues } from './settings-logic';

export const DISTRIBUTIONS: readonly Distribution[] = ['manual', 'round_robin', 'least_busy', 'contact_group'];

export function distributionName(d: string): string {
  return DISTRIBUTIONS.includes(d as Distribution) ? t(`settings.distribution.${d}` as MessageKey) : d;
}

/** Equipes (departments): how their conversations are distributed and each agent's capacity. */
export function TeamsSettings() {
  const records = useRecords('teams');
  const [dialog, setDialog] = useState<Team | 'new' | null>(null);
  const close = () => setDialog(null);
  return (
    <SettingsPage
      section="teams"
      intro={t('settings.teams.intro')}
      newLabel={t('settings.teams.new')}
      empty={t('settings.teams.empty')}
      records={records}
      rowName={(r) => r.name}
      onNew={() => setDialog('new')}
      onEdit={setDialog}
      columns={[
        { label: t('settings.col.name'), cell: (r) => <NameCell name={r.name} id={r.id} /> },
        { label: t('settings.teams.distribution'), cell: (r) => distributionName(r.distribution) },
        { label: t('settings.teams.max_per_agent'), cell: (r) => r.max_per_agent, num: true },
        { label: t('settings.teams.require_reason'), cell: (r) => t(r.require_reason ? 'settings.yes' : 'settings.no') },
      ]}
    >
      {dialog && (
        <Modal title={dialog === 'new' ? t('settings.teams.new') : t('settings.teams.edit_title', { name: dialog.name })} onClose={close}>
          <TeamForm record={dialog === 'new' ? null : dialog} reload={records.reload} onDone={close} />
        </Modal>
      )}
    </SettingsPage>
  );
}

function TeamForm({ record, reload, onDone }: { record: Team | null; reload: () => Promise<void>; onDone: () => void }) {
  const [id, setId] = useState('');
  const [name, setName] = useState(record?.name ?? '');
  const [distribution, setDistribution] = useState<string>(record?.distribution ?? 'manual');
  const [maxPerAgent, setMaxPerAgent] = useState(String(record?.max_per_agent ?? 5));
  const [requireReason, setRequireReason] = useState(record?.require_reason ?? false);
  const state = useSave('teams', record, reload, onDone);

  const submit = () => state.save(teamValues({ name, distribution, max_per_agent: maxPerAgent, require_reason: requireReason }), { id });

  return (
    <RecordForm state={state} submitLabel={record ? t('settings.save') : t('settings.create')} onSubmit={submit} onCancel={onDone}>
      {record && <IdLine id={record.id} />}
      <Field name="name" label={t('settings.teams.name')} required>
        {(a) => <input {...a} value={name} onInput={(e) => setName(inputValue(e))} />}
      </Field>
      <Field name="distribution" label={t('settings.teams.distribution')} hint={t(`settings.distribution_hint.${distribution}` as MessageKey)}>
        {(a) => (
          <select {...a} value={distribution} onChange={(e) => setDistribution(inputValue(e))}>
            {DISTRIBUTIONS.map((d) => (
              <option key={d} value={d}>
                {distributionName(d)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field name="max_per_agent" label={t('settings.teams.max_per_agent_label')} hint={t('settings.teams.max_per_agent_hint')} required>
        {(a) => <input {...a} type="number" min={1} step={1} inputMode="numeric" class="narrow" value={maxPerAgent} onInput={(e) => setMaxPerAgent(inputValue(e))} />}
      </Field>
      <Check name="require_reason" label={t('settings.teams.require_reason_label')} hint={t('settings.teams.require_reason_hint')} checked={requireReason} onChange={setRequireReason} />
      {!record && <IdField value={id} onInput={setId} />}
    </RecordForm>
  );
}
