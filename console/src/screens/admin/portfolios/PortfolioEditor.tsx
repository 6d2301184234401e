import { useEffect, useId, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../../../api/error';
import { createPortfolio, updatePortfolio, type Portfolio, type PortfolioBody } from '../../../api/portfolios';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { Modal } from '../../../components/Modal';
import { t } from '../../../i18n';
import { useStore } from '../../../state/context';
import { HoursEditor } from './HoursEditor';
import { hoursToModel, modelToHours, type HoursProblem } from './hours';

/** Nova carteira / Editar carteira: name, code, owners and business hours. */
export function PortfolioEditor(props: { portfolio: Portfolio | null; onSaved: (p: Portfolio) => void; onClose: () => void }) {
  const store = useStore();
  const uid = useId();
  const agents = store.config.lists.agents.value;
  const editing = props.portfolio;
  const [id, setId] = useState('');
  const [name, setName] = useState(editing?.name ?? '');
  const [code, setCode] = useState(editing?.code ?? '');
  const [responsible, setResponsible] = useState(editing?.responsible ?? '');
  const [members, setMembers] = useState<string[]>(editing?.members ?? []);
  const [hours, setHours] = useState(() => hoursToModel(editing ? editing.hours : null));
  const [problems, setProblems] = useState<HoursProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    void store.config.ensure('agents');
  }, []);

  const chooseResponsible = (id: string) => {
    setResponsible(id);
    setMembers((m) => m.filter((x) => x !== id));
  };
  const toggleMember = (id: string, on: boolean) => setMembers((m) => (on ? [...m, id] : m.filter((x) => x !== id)));

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const built = modelToHours(hours);
    if (!built.ok) {
      setProblems(built.problems);
      return;
    }
    setProblems([]);
    const body: PortfolioBody = { name: name.trim(), code: code.trim() || null, responsible, members, hours: built.hours };
    if (!editing && id.trim()) {
      body.id = id.trim();
    }
    setBusy(true);
    try {
      const api = store.deps.api;
      const saved = editing ? await updatePortfolio(api, editing.id, body) : await createPortfolio(api, body);
      props.onSaved(saved);
    } catch (err) {
      setError(toApiError(err));
      setBusy(false);
    }
  };

  // A refusal about one field shows under it; any other under the form.
  const fieldError = (field: string) => (error?.field === field ? error : null);
  const otherError = error && !['id', 'name', 'code', 'responsible', 'members'].includes(error.field ?? '') ? error : null;
  const codeErr = fieldError('code');

  return (
    <Modal title={editing ? t('portfolios.edit_title', { name: editing.name }) : t('portfolios.new')} onClose={props.onClose} wide>
      <form onSubmit={submit} class="stack portfolio-form">
        <label class="field">
          <span>{t('portfolios.field.name')}</span>
          <input required value={name} aria-invalid={fieldError('name') ? 'true' : undefined} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
        <ErrorMessage error={fieldError('name')} />
        {!editing && (
          <>
            <label class="field">
              <span>
                {t('portfolios.field.id')} <span class="muted">{t('common.optional')}</span>
              </span>
              <input
                value={id}
                maxLength={128}
                aria-invalid={fieldError('id') ? 'true' : undefined}
                aria-describedby={`${uid}-id-hint`}
                onInput={(e) => setId((e.target as HTMLInputElement).value)}
              />
            </label>
            <p class="muted field-hint" id={`${uid}-id-hint`}>
              {t('portfolios.field.id_hint')}
            </p>
            <ErrorMessage error={fieldError('id')} />
          </>
        )}
        <label class="field">
          <span>
            {t('portfolios.field.code')} <span class="muted">{t('common.optional')}</span>
          </span>
          <input
            value={code}
            maxLength={128}
            aria-invalid={codeErr ? 'true' : undefined}
            aria-describedby={codeErr ? `${uid}-code-err` : `${uid}-code-hint`}
            onInput={(e) => setCode((e.target as HTMLInputElement).value)}
          />
        </label>
        <p class="muted field-hint" id={`${uid}-code-hint`}>
          {t('portfolios.field.code_hint')}
        </p>
        <ErrorMessage error={codeErr} id={`${uid}-code-err`} />
        <label class="field">
          <span>{t('portfolios.field.responsible')}</span>
          <select required value={responsible} onChange={(e) => chooseResponsible((e.target as HTMLSelectElement).value)}>
            <option value="">{agents.items === null ? t('common.loading') : t('common.choose')}</option>
            {(agents.items ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <ErrorMessage error={fieldError('responsible')} />
        <fieldset class="members">
          <legend>{t('portfolios.field.members')}</legend>
          <div class="check-grid">
            {(agents.items ?? [])
              .filter((a) => a.id !== responsible)
              .map((a) => (
                <label class="radio" key={a.id}>
                  <input type="checkbox" checked={members.includes(a.id)} onChange={(e) => toggleMember(a.id, (e.target as HTMLInputElement).checked)} />
                  {a.name}
                </label>
              ))}
          </div>
          {agents.items !== null && agents.items.length <= 1 && <p class="muted">{t('portfolios.field.no_members')}</p>}
        </fieldset>
        <ErrorMessage error={fieldError('members') ?? agents.error} />
        <HoursEditor model={hours} problems={problems} onChange={setHours} />
        {problems.length > 0 && (
          <p class="error" role="alert">
            {t('portfolios.hours.fix')}
          </p>
        )}
        <ErrorMessage error={otherError} />
        <div class="form-actions">
          <button type="button" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('common.working') : editing ? t('portfolios.save') : t('portfolios.create')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
