import { useEffect, useId, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../../api/error';
import type { TransferRequest } from '../../api/types';
import { t } from '../../i18n';
import { useStore } from '../../state/context';
import { ErrorMessage } from '../ErrorMessage';

/** Transferir: to an agent or to a team (departamento), with an optional note. */
export function TransferForm(props: { allowNote: boolean; exceptAgent?: string | null; onSubmit: (body: TransferRequest) => Promise<void>; onCancel: () => void }) {
  const store = useStore();
  const uid = useId();
  const agents = store.config.lists.agents.value;
  const teams = store.config.lists.teams.value;
  const [to, setTo] = useState<'agent' | 'team'>('agent');
  const [agent, setAgent] = useState('');
  const [team, setTeam] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    void store.config.ensure('agents');
    void store.config.ensure('teams');
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: TransferRequest = to === 'agent' ? { agent } : { team };
      if (props.allowNote && note.trim()) {
        body.note = note.trim();
      }
      await props.onSubmit(body);
    } catch (err) {
      setError(toApiError(err));
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} class="stack">
      <fieldset class="segmented">
        <legend>{t('transfer.to')}</legend>
        <label class="radio">
          <input type="radio" name={`${uid}-to`} checked={to === 'agent'} onChange={() => setTo('agent')} /> {t('transfer.to_agent')}
        </label>
        <label class="radio">
          <input type="radio" name={`${uid}-to`} checked={to === 'team'} onChange={() => setTo('team')} /> {t('transfer.to_team')}
        </label>
      </fieldset>
      {to === 'agent' ? (
        <label class="field">
          <span>{t('transfer.agent')}</span>
          <select required value={agent} onChange={(e) => setAgent((e.target as HTMLSelectElement).value)}>
            <option value="">{agents.items === null ? t('common.loading') : t('common.choose')}</option>
            {(agents.items ?? [])
              .filter((a) => a.id !== props.exceptAgent)
              .map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name} · {t(a.pause ? 'menu.paused' : a.status === 'online' ? 'menu.online' : 'menu.offline')} · {t('transfer.load', { n: a.open_count })}
                </option>
              ))}
          </select>
        </label>
      ) : (
        <label class="field">
          <span>{t('transfer.team')}</span>
          <select required value={team} onChange={(e) => setTeam((e.target as HTMLSelectElement).value)}>
            <option value="">{teams.items === null ? t('common.loading') : t('common.choose')}</option>
            {(teams.items ?? []).map((tm) => (
              <option key={tm.id} value={tm.id}>
                {tm.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <ErrorMessage error={to === 'agent' ? agents.error : teams.error} />
      {props.allowNote && (
        <label class="field">
          <span>
            {t('transfer.note')} <span class="muted">{t('common.optional')}</span>
          </span>
          <textarea rows={3} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
        </label>
      )}
      <ErrorMessage error={error} />
      <div class="form-actions">
        <button type="button" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('common.working') : t('action.transfer')}
        </button>
      </div>
    </form>
  );
}
