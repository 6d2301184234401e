import { useEffect, useState } from 'preact/hooks';
import type { AgentCreated, AgentRecord } from '../../../api/settings';
import { Modal } from '../../../components/Modal';
import { t } from '../../../i18n';
import { useStore } from '../../../state/context';
import { CopyField, DASH, Field, IdField, IdLine, inputValue, NameCell, RecordForm, SettingsPage, useRecords, useSave } from './kit';
import { capacityView } from '../../../lib/capacity';
import { agentValues } from './settings-logic';

type Dialog = { mode: 'new' } | { mode: 'edit'; record: AgentRecord } | { mode: 'token'; created: AgentCreated };

/** Atendentes: who they are, their role, teams, capacity and sign-in; and the board's status, pause and load. */
export function AgentsSettings() {
  const store = useStore();
  const records = useRecords('agents');
  const teams = store.config.lists.teams.value.items ?? [];
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = () => setDialog(null);

  useEffect(() => {
    void store.config.ensure('teams');
    void store.config.ensure('pauseTypes');
  }, []);

  const capacity = (r: AgentRecord) => {
    const c = capacityView(r, teams);
    if ('own' in c) {
      return String(c.own);
    }
    if (!c.team) {
      return t('settings.agents.capacity_team_none');
    }
    const n = c.team.min === c.team.max ? String(c.team.min) : `${c.team.min}–${c.team.max}`;
    return t('settings.agents.capacity_team', { n });
  };

  const status = (r: AgentRecord) => {
    if (r.pause) {
      return (
        <span class={`agent-state paused${r.pause.overdue ? ' overdue' : ''}`}>
          <span class="dot dot-paused" aria-hidden="true" /> {t('settings.agents.paused', { name: store.config.name('pauseTypes', r.pause.type) })}
        </span>
      );
    }
    return (
      <span class={`agent-state ${r.status}`}>
        <span class={`dot dot-${r.status}`} aria-hidden="true" /> {t(r.status === 'online' ? 'settings.agents.online' : 'settings.agents.offline')}
      </span>
    );
  };

  let modal = null;
  if (dialog?.mode === 'token') {
    modal = (
      <Modal title={t('settings.agents.token_title', { name: dialog.created.name })} onClose={close}>
        <TokenStep created={dialog.created} onDone={close} />
      </Modal>
    );
  } else if (dialog) {
    const record = dialog.mode === 'edit' ? dialog.record : null;
    modal = (
      <Modal title={record ? t('settings.agents.edit_title', { name: record.name }) : t('settings.agents.new')} onClose={close} wide>
        <AgentForm record={record} reload={records.reload} onDone={close} onCreated={(created) => setDialog({ mode: 'token', created })} />
      </Modal>
    );
  }

  return (
    <SettingsPage
      section="agents"
      intro={t('settings.agents.intro')}
      newLabel={t('settings.agents.new')}
      empty={t('settings.agents.empty')}
      records={records}
      rowName={(r) => r.name}
      onNew={() => setDialog({ mode: 'new' })}
      onEdit={(record) => setDialog({ mode: 'edit', record })}
      columns={[
        {
          label: t('settings.col.name'),
          cell: (r) => (
            <>
              <NameCell name={r.name} id={r.id} />
              {r.login && <span class="record-id muted">{t('settings.agents.login_is', { login: r.login })}</span>}
            </>
          ),
        },
        { label: t('settings.agents.role'), cell: (r) => t(r.role === 'admin' ? 'settings.agents.role_admin' : 'settings.agents.role_agent') },
        {
          label: t('settings.agents.teams'),
          cell: (r) =>
            r.teams.length === 0 ? (
              DASH
            ) : (
              <ul class="chips">
                {r.teams.map((id) => (
                  <li key={id} class="chip">
                    {store.config.name('teams', id)}
                  </li>
                ))}
              </ul>
            ),
        },
        { label: t('settings.agents.capacity'), cell: capacity },
        { label: t('settings.agents.status'), cell: status },
        { label: t('settings.agents.open_count'), cell: (r) => r.open_count, num: true },
      ]}
    >
      {modal}
    </SettingsPage>
  );
}

function AgentForm(props: { record: AgentRecord | null; reload: () => Promise<void>; onDone: () => void; onCreated: (a: AgentCreated) => void }) {
  const { record } = props;
  const store = useStore();
  const teams = store.config.lists.teams.value;
  const [id, setId] = useState('');
  const [name, setName] = useState(record?.name ?? '');
  const [role, setRole] = useState<string>(record?.role ?? 'agent');
  const [agentTeams, setAgentTeams] = useState<string[]>(record?.teams ?? []);
  const [maxConcurrent, setMaxConcurrent] = useState(record?.max_concurrent != null ? String(record.max_concurrent) : '');
  const [login, setLogin] = useState(record?.login ?? '');
  const [resetPassword, setResetPassword] = useState(record === null);
  const [password, setPassword] = useState('');
  const state = useSave<'agents', AgentCreated>('agents', record, props.reload, (reply) => (record === null && reply ? props.onCreated(reply) : props.onDone()));
  // The teams' checkboxes are not one Field: each points at the refusal that names them.
  const teamsInvalid = state.error?.field === 'teams' ? { 'aria-invalid': 'true' as const, 'aria-describedby': state.errorId } : {};

  useEffect(() => {
    void store.config.ensure('teams');
  }, []);

  const toggleTeam = (teamId: string, on: boolean) => setAgentTeams((list) => (on ? [...list.filter((x) => x !== teamId), teamId] : list.filter((x) => x !== teamId)));

  const submit = () =>
    state.save(agentValues({ name, role, teams: agentTeams, max_concurrent: maxConcurrent, login }), {
      id,
      extra: { password: resetPassword && password !== '' ? password : undefined },
    });

  return (
    <RecordForm state={state} submitLabel={record ? t('settings.save') : t('settings.create')} onSubmit={submit} onCancel={props.onDone}>
      {record && <IdLine id={record.id} />}
      <div class="form-grid">
        <Field name="name" label={t('settings.agents.name')} required>
          {(a) => <input {...a} value={name} autocomplete="off" onInput={(e) => setName(inputValue(e))} />}
        </Field>
        <Field name="role" label={t('settings.agents.role')}>
          {(a) => (
            <select {...a} value={role} onChange={(e) => setRole(inputValue(e))}>
              <option value="agent">{t('settings.agents.role_agent')}</option>
              <option value="admin">{t('settings.agents.role_admin')}</option>
            </select>
          )}
        </Field>
      </div>
      <fieldset class="checks">
        <legend>{t('settings.agents.teams')}</legend>
        {teams.items === null ? (
          <p class="muted">{t('common.loading')}</p>
        ) : teams.items.length === 0 ? (
          <p class="muted">{t('settings.agents.no_teams')}</p>
        ) : (
          teams.items.map((tm) => (
            <label key={tm.id} class="check">
              <input type="checkbox" checked={agentTeams.includes(tm.id)} {...teamsInvalid} onChange={(e) => toggleTeam(tm.id, (e.target as HTMLInputElement).checked)} />
              <span>{tm.name}</span>
            </label>
          ))
        )}
      </fieldset>
      <Field name="max_concurrent" label={t('settings.agents.max_concurrent')} hint={t('settings.agents.max_concurrent_hint')}>
        {(a) => <input {...a} type="number" min={1} step={1} inputMode="numeric" class="narrow" value={maxConcurrent} onInput={(e) => setMaxConcurrent(inputValue(e))} />}
      </Field>
      <div class="form-grid">
        <Field name="login" label={t('settings.agents.login')} hint={t('settings.agents.login_hint')}>
          {(a) => <input {...a} value={login} autocomplete="off" spellcheck={false} autocapitalize="off" onInput={(e) => setLogin(inputValue(e))} />}
        </Field>
        {resetPassword ? (
          <Field name="password" label={record ? t('settings.agents.new_password') : t('settings.agents.password')} hint={t('settings.agents.password_hint')} required={record !== null}>
            {(a) => <input {...a} type="password" autocomplete="new-password" value={password} onInput={(e) => setPassword(inputValue(e))} />}
          </Field>
        ) : (
          <div class="field">
            <span class="field-label">{t('settings.agents.password')}</span>
            <p class="muted password-state">{t(record?.has_password ? 'settings.agents.has_password' : 'settings.agents.no_password')}</p>
            <button type="button" class="self-start" onClick={() => setResetPassword(true)}>
              {t('settings.agents.reset_password')}
            </button>
          </div>
        )}
      </div>
      {!record && <IdField value={id} onInput={setId} />}
    </RecordForm>
  );
}

/** After a create: the agent's API token, shown this once. */
function TokenStep({ created, onDone }: { created: AgentCreated; onDone: () => void }) {
  return (
    <div class="token-step">
      <p role="status">{t('settings.agents.created', { name: created.name })}</p>
      <p class="notice token-warning">
        <strong>{t('settings.agents.token_once_lead')}</strong> {t('settings.agents.token_once')}
      </p>
      <CopyField label={t('settings.agents.token')} value={created.token} copyLabel={t('settings.agents.copy_token')} autoFocus />
      <p class="muted">{t('settings.agents.token_use')}</p>
      <div class="form-actions">
        <button type="button" class="primary" onClick={onDone}>
          {t('settings.agents.done')}
        </button>
      </div>
    </div>
  );
}
