import type { Portfolio } from '../../../api/portfolios';
import { formatCount } from '../../../i18n/format';
import { lang, t, tn, type MessageKey } from '../../../i18n';
import { contactName } from '../../../lib/phone';
import { useStore } from '../../../state/context';
import { summarizeHours } from './hours';

/** How many of the first contacts the table names. */
const NAMED = 5;

/** One portfolio of the table. */
export function PortfolioRow(props: { portfolio: Portfolio; selected: boolean; onSelect: (on: boolean) => void; onEdit: () => void; onContacts: () => void }) {
  const store = useStore();
  const p = props.portfolio;
  const agent = (id: string) => store.config.name('agents', id);
  const hours = summarizeHours(p.hours, (d) => t(`portfolios.day_short.${d}` as MessageKey));
  const named = p.contacts.slice(0, NAMED).map(contactName);
  const more = p.contact_count - named.length;

  return (
    <tr class={props.selected ? 'selected' : undefined}>
      <td class="check-col">
        <label class="check-cell">
          <input type="checkbox" checked={props.selected} onChange={(e) => props.onSelect((e.target as HTMLInputElement).checked)} />
          <span class="sr-only">{t('portfolios.select', { name: p.name })}</span>
        </label>
      </td>
      <th scope="row" class="portfolio-name">
        {p.name}
        <span class="muted portfolio-id">{t('portfolios.id', { id: p.id })}</span>
      </th>
      <td data-label={t('portfolios.col.code')}>{p.code ? <code>{p.code}</code> : <span class="muted">—</span>}</td>
      <td data-label={t('portfolios.col.responsible')}>{agent(p.responsible)}</td>
      <td data-label={t('portfolios.col.members')}>{p.members.length > 0 ? p.members.map(agent).join(', ') : <span class="muted">—</span>}</td>
      <td class="portfolio-contacts" data-label={t('portfolios.col.contacts')}>
        <strong>{tn('portfolios.contact_count', p.contact_count, { count: formatCount(p.contact_count, lang.value) })}</strong>
        {named.length > 0 && (
          <span class="muted">
            {named.join(', ')}
            {more > 0 ? ` ${t('portfolios.and_more', { n: formatCount(more, lang.value) })}` : ''}
          </span>
        )}
      </td>
      <td class="portfolio-hours" data-label={t('portfolios.col.hours')}>
        {hours === null ? (
          <span class="muted">{t('portfolios.hours.always')}</span>
        ) : hours.length === 0 ? (
          t('portfolios.hours.closed')
        ) : (
          hours.map((line) => <span key={line}>{line}</span>)
        )}
        {p.hours?.timezone && <span class="muted">{p.hours.timezone}</span>}
      </td>
      <td class="portfolio-actions">
        <button type="button" aria-label={t('portfolios.edit_named', { name: p.name })} onClick={props.onEdit}>
          {t('portfolios.edit')}
        </button>
        <button type="button" aria-label={t('portfolios.contacts_named', { name: p.name })} onClick={props.onContacts}>
          {t('portfolios.contacts')}
        </button>
      </td>
    </tr>
  );
}
