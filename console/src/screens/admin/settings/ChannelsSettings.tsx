import { useEffect, useState } from 'preact/hooks';
import type { ChannelRecord } from '../../../api/settings';
import type { ChannelKind } from '../../../api/types';
import { Modal } from '../../../components/Modal';
import { t, type MessageKey } from '../../../i18n';
import { useStore } from '../../../state/context';
import { ChannelDetails } from './ChannelDetails';
import { Check, DASH, Field, IdField, IdLine, inputValue, NameCell, RecordForm, SettingsPage, useRecords, useSave } from './kit';
import { channelValues, secretChange } from './settings-logic';

const KINDS: readonly ChannelKind[] = ['whatsapp', 'instagram', 'other'];

export function kindName(kind: string): string {
  return KINDS.includes(kind as ChannelKind) ? t(`settings.channels.kind.${kind}` as MessageKey) : kind;
}

type Dialog = { mode: 'new' } | { mode: 'edit'; record: ChannelRecord } | { mode: 'details'; record: ChannelRecord };

/** Canais: the business numbers, their default team, Meta's credentials, and each number's webhook and health. */
export function ChannelsSettings() {
  const store = useStore();
  const records = useRecords('channels');
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = () => setDialog(null);

  useEffect(() => {
    void store.config.ensure('teams');
  }, []);

  const configured = (yes: boolean) => <span class={yes ? 'set' : 'unset'}>{t(yes ? 'settings.channels.configured' : 'settings.channels.not_configured')}</span>;

  let modal = null;
  if (dialog?.mode === 'details') {
    modal = (
      <Modal title={t('settings.channels.details_title', { name: dialog.record.name })} onClose={close} wide>
        <ChannelDetails record={dialog.record} onClose={close} />
      </Modal>
    );
  } else if (dialog) {
    const record = dialog.mode === 'edit' ? dialog.record : null;
    modal = (
      <Modal title={record ? t('settings.channels.edit_title', { name: record.name }) : t('settings.channels.new')} onClose={close} wide>
        <ChannelForm record={record} reload={records.reload} onDone={close} />
      </Modal>
    );
  }

  return (
    <SettingsPage
      section="channels"
      intro={t('settings.channels.intro')}
      newLabel={t('settings.channels.new')}
      empty={t('settings.channels.empty')}
      records={records}
      rowName={(r) => r.name}
      onNew={() => setDialog({ mode: 'new' })}
      onEdit={(record) => setDialog({ mode: 'edit', record })}
      rowActions={(r) =>
        r.kind === 'whatsapp' && (
          <button type="button" onClick={() => setDialog({ mode: 'details', record: r })}>
            {t('settings.channels.health')}
            <span class="sr-only"> {r.name}</span>
          </button>
        )
      }
      columns={[
        { label: t('settings.col.name'), cell: (r) => <NameCell name={r.name} id={r.id} /> },
        { label: t('settings.channels.kind_label'), cell: (r) => kindName(r.kind) },
        {
          label: t('settings.channels.number'),
          cell: (r) => (
            <>
              <span class="record-name">{r.phone || DASH}</span>
              <span class="record-id muted">{r.phone_number_id ? t('settings.channels.pnid_is', { id: r.phone_number_id }) : t('settings.channels.no_pnid')}</span>
            </>
          ),
        },
        { label: t('settings.channels.default_team'), cell: (r) => store.config.name('teams', r.default_team) },
        {
          label: t('settings.channels.credentials'),
          cell: (r) => (
            <dl class="credentials">
              <dt>{t('settings.channels.access_token_short')}</dt>
              <dd>{configured(r.has_access_token)}</dd>
              <dt>{t('settings.channels.app_secret_short')}</dt>
              <dd>{configured(r.has_app_secret)}</dd>
            </dl>
          ),
        },
      ]}
    >
      {modal}
    </SettingsPage>
  );
}

function ChannelForm({ record, reload, onDone }: { record: ChannelRecord | null; reload: () => Promise<void>; onDone: () => void }) {
  const store = useStore();
  const teams = store.config.lists.teams.value;
  const [id, setId] = useState('');
  const [name, setName] = useState(record?.name ?? '');
  const [kind, setKind] = useState<string>(record?.kind ?? 'whatsapp');
  const [phone, setPhone] = useState(record?.phone ?? '');
  const [pnid, setPnid] = useState(record?.phone_number_id ?? '');
  const [waba, setWaba] = useState(record?.waba_id ?? '');
  const [team, setTeam] = useState(record?.default_team ?? '');
  const [accessToken, setAccessToken] = useState('');
  const [removeToken, setRemoveToken] = useState(false);
  const [appSecret, setAppSecret] = useState('');
  const [removeSecret, setRemoveSecret] = useState(false);
  const [markRead, setMarkRead] = useState(record?.mark_read ?? false);
  const state = useSave('channels', record, reload, onDone);

  const submit = () =>
    state.save(channelValues({ kind, name, phone, phone_number_id: pnid, waba_id: waba, default_team: team, mark_read: markRead }), {
      id,
      extra: record
        ? { access_token: secretChange(accessToken, removeToken), app_secret: secretChange(appSecret, removeSecret) }
        : { access_token: accessToken || undefined, app_secret: appSecret || undefined },
    });

  const secretHint = (has: boolean | undefined, createHint: MessageKey) =>
    record ? t(has ? 'settings.channels.secret_keep' : 'settings.channels.secret_none') : t(createHint);

  return (
    <RecordForm state={state} submitLabel={record ? t('settings.save') : t('settings.create')} onSubmit={submit} onCancel={onDone}>
      {record && <IdLine id={record.id} />}
      <div class="form-grid">
        <Field name="name" label={t('settings.channels.name')} required>
          {(a) => <input {...a} value={name} onInput={(e) => setName(inputValue(e))} />}
        </Field>
        <Field name="kind" label={t('settings.channels.kind_label')} required>
          {(a) => (
            <select {...a} value={kind} onChange={(e) => setKind(inputValue(e))}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {kindName(k)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="phone" label={t('settings.channels.phone')} hint={t('settings.channels.phone_hint')} required>
          {(a) => <input {...a} value={phone} inputMode="tel" autocomplete="off" onInput={(e) => setPhone(inputValue(e))} />}
        </Field>
        <Field name="default_team" label={t('settings.channels.default_team')} hint={t('settings.channels.default_team_hint')} required>
          {(a) => (
            <select {...a} value={team} onChange={(e) => setTeam(inputValue(e))}>
              <option value="">{teams.items === null ? t('common.loading') : t('common.choose')}</option>
              {(teams.items ?? []).map((tm) => (
                <option key={tm.id} value={tm.id}>
                  {tm.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="phone_number_id" label={t('settings.channels.phone_number_id')} hint={t('settings.channels.phone_number_id_hint')}>
          {(a) => <input {...a} value={pnid} autocomplete="off" spellcheck={false} onInput={(e) => setPnid(inputValue(e))} />}
        </Field>
        <Field name="waba_id" label={t('settings.channels.waba_id')} hint={t('settings.channels.waba_id_hint')}>
          {(a) => <input {...a} value={waba} autocomplete="off" spellcheck={false} onInput={(e) => setWaba(inputValue(e))} />}
        </Field>
      </div>

      <fieldset class="secrets">
        <legend>{t('settings.channels.secrets')}</legend>
        <p class="muted secrets-note">{t('settings.channels.secrets_note')}</p>
        <div class="form-grid">
          <div>
            <Field name="access_token" label={t('settings.channels.access_token')} hint={secretHint(record?.has_access_token, 'settings.channels.access_token_hint')}>
              {(a) => <input {...a} type="password" autocomplete="new-password" value={accessToken} disabled={removeToken} onInput={(e) => setAccessToken(inputValue(e))} />}
            </Field>
            {record?.has_access_token && <Check name="remove_access_token" label={t('settings.channels.remove_access_token')} checked={removeToken} onChange={setRemoveToken} />}
          </div>
          <div>
            <Field name="app_secret" label={t('settings.channels.app_secret')} hint={secretHint(record?.has_app_secret, 'settings.channels.app_secret_hint')}>
              {(a) => <input {...a} type="password" autocomplete="new-password" value={appSecret} disabled={removeSecret} onInput={(e) => setAppSecret(inputValue(e))} />}
            </Field>
            {record?.has_app_secret && <Check name="remove_app_secret" label={t('settings.channels.remove_app_secret')} checked={removeSecret} onChange={setRemoveSecret} />}
          </div>
        </div>
      </fieldset>

      <Check name="mark_read" label={t('settings.channels.mark_read')} hint={t('settings.channels.mark_read_hint')} checked={markRead} onChange={setMarkRead} />
      {!record && <IdField value={id} onInput={setId} />}
    </RecordForm>
  );
}
