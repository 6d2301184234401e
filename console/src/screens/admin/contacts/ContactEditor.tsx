import { useEffect, useId, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../../../api/error';
import { updateContact } from '../../../api/portfolios';
import type { Contact } from '../../../api/types';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { Modal } from '../../../components/Modal';
import { t } from '../../../i18n';
import { contactName, formatPhone } from '../../../lib/phone';
import { useStore } from '../../../state/context';
import { joinList, splitList } from './csv';

/** Editar contato: name, tags, stage, departments and the portfolios that hold it (PATCH /v1/contacts/{id}). */
export function ContactEditor(props: { contact: Contact; onSaved: (c: Contact) => void; onClose: () => void }) {
  const store = useStore();
  const uid = useId();
  const c = props.contact;
  const portfolios = store.config.lists.portfolios.value;
  const [name, setName] = useState(c.name);
  const [tags, setTags] = useState(joinList(c.tags));
  const [stage, setStage] = useState(c.stage ?? '');
  const [departments, setDepartments] = useState(joinList(c.departments));
  const [inPortfolios, setInPortfolios] = useState<string[]>(c.portfolios);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    void store.config.ensure('portfolios');
  }, []);

  const toggle = (id: string, on: boolean) => setInPortfolios((ps) => (on ? [...ps, id] : ps.filter((x) => x !== id)));

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const saved = await updateContact(store.deps.api, c.id, {
        name: name.trim(),
        tags: splitList(tags),
        stage: stage.trim() || null,
        departments: splitList(departments),
        portfolios: inPortfolios,
      });
      props.onSaved(saved);
    } catch (err) {
      setError(toApiError(err));
      setBusy(false);
    }
  };

  return (
    <Modal title={t('contacts.edit_title', { name: contactName(c) })} onClose={props.onClose}>
      <form class="stack" onSubmit={submit}>
        <p class="muted">
          {t('contact.phone')}: {formatPhone(c.phone)}
        </p>
        <label class="field">
          <span>{t('contact.name')}</span>
          <input required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
        <label class="field">
          <span>{t('contact.tags')}</span>
          <input value={tags} aria-describedby={`${uid}-list-hint`} onInput={(e) => setTags((e.target as HTMLInputElement).value)} />
        </label>
        <label class="field">
          <span>{t('contact.stage')}</span>
          <input value={stage} onInput={(e) => setStage((e.target as HTMLInputElement).value)} />
        </label>
        <label class="field">
          <span>{t('contact.departments')}</span>
          <input value={departments} aria-describedby={`${uid}-list-hint`} onInput={(e) => setDepartments((e.target as HTMLInputElement).value)} />
        </label>
        <p class="muted field-hint" id={`${uid}-list-hint`}>
          {t('contacts.list_hint')}
        </p>
        <fieldset>
          <legend>{t('contact.portfolios')}</legend>
          {portfolios.items === null ? (
            <p class="muted">{t('common.loading')}</p>
          ) : portfolios.items.length === 0 ? (
            <p class="muted">{t('contacts.no_portfolios')}</p>
          ) : (
            <div class="check-grid">
              {portfolios.items.map((p) => (
                <label class="radio" key={p.id}>
                  <input type="checkbox" checked={inPortfolios.includes(p.id)} onChange={(e) => toggle(p.id, (e.target as HTMLInputElement).checked)} />
                  {p.name}
                </label>
              ))}
            </div>
          )}
        </fieldset>
        <ErrorMessage error={portfolios.error ?? error} />
        <div class="form-actions">
          <button type="button" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('common.working') : t('contacts.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
