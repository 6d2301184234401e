import { useEffect, useId, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../../../api/error';
import { getChannel, type ChannelDetail, type ChannelError, type ChannelRecord } from '../../../api/settings';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { t, type MessageKey } from '../../../i18n';
import { formatDateTime } from '../../../i18n/format';
import { useStore } from '../../../state/context';
import { CopyField, DASH } from './kit';
import { healthRows, webhookUrl, type HealthRow } from './settings-logic';

/**
 * A WhatsApp channel's page for whoever connects it at Meta: the webhook's
 * callback URL, where the verify token comes from, and the number's health
 * as this server counted it since it started.
 */
export function ChannelDetails({ record, onClose }: { record: ChannelRecord; onClose: () => void }) {
  const store = useStore();
  const [detail, setDetail] = useState<ChannelDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const uid = useId();

  const load = async () => {
    setLoading(true);
    setError(null);
    try {
      setDetail(await getChannel(store.deps.api, record.id));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    void load();
  }, [record.id]);

  const channel = detail ?? record;

  return (
    <div class="channel-details">
      <section aria-labelledby={`${uid}-webhook`}>
        <h3 id={`${uid}-webhook`}>{t('settings.channels.webhook_title')}</h3>
        <p>{t('settings.channels.webhook_intro')}</p>
        <CopyField label={t('settings.channels.callback_url')} value={webhookUrl(location.origin)} copyLabel={t('settings.channels.copy_url')} />
        <dl class="facts">
          <dt>{t('settings.channels.verify_token')}</dt>
          <dd>{t('settings.channels.verify_token_text')}</dd>
          <dt>{t('settings.channels.webhook_fields')}</dt>
          <dd>{t('settings.channels.webhook_fields_text')}</dd>
          <dt>{t('settings.channels.phone_number_id')}</dt>
          <dd>{channel.phone_number_id ? <code>{channel.phone_number_id}</code> : <span class="warning">{t('settings.channels.pnid_missing')}</span>}</dd>
          <dt>{t('settings.channels.app_secret')}</dt>
          <dd>{t(channel.has_app_secret ? 'settings.channels.app_secret_own' : 'settings.channels.app_secret_server')}</dd>
        </dl>
      </section>

      <section aria-labelledby={`${uid}-health`}>
        <div class="section-head">
          <h3 id={`${uid}-health`}>{t('settings.channels.health_title')}</h3>
          <button type="button" disabled={loading} onClick={() => void load()}>
            {loading ? t('common.loading') : t('settings.channels.refresh')}
          </button>
        </div>
        <p class="muted">{t('settings.channels.health_since')}</p>
        {!channel.has_access_token && <p class="muted">{t('settings.channels.health_no_token')}</p>}
        <ErrorMessage error={error} />
        {detail && <HealthTable rows={healthRows(detail.health)} />}
      </section>

      <div class="form-actions">
        <button type="button" class="primary" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </div>
  );
}

const GROUPS: ReadonlyArray<HealthRow['group']> = ['webhook', 'sends', 'media'];

function HealthTable({ rows }: { rows: HealthRow[] }) {
  return (
    <table class="data-table health-table">
      <caption class="sr-only">{t('settings.channels.health_title')}</caption>
      {GROUPS.map((g) => (
        <tbody key={g}>
          <tr class="health-group">
            <th scope="colgroup" colSpan={2}>
              {t(`settings.health.group.${g}` as MessageKey)}
            </th>
          </tr>
          {rows
            .filter((r) => r.group === g)
            .map((r) => (
              <tr key={r.key}>
                <th scope="row">{t(`settings.health.${r.key}` as MessageKey)}</th>
                <td>{r.value.kind === 'absent' ? DASH : r.value.kind === 'text' ? r.value.text : <LastError error={r.value.error} />}</td>
              </tr>
            ))}
        </tbody>
      ))}
    </table>
  );
}

function LastError({ error }: { error: ChannelError | null }) {
  if (!error) {
    return <>{t('settings.health.no_error')}</>;
  }
  return (
    <>
      <code>{String(error.code)}</code>
      {error.title && ` ${error.title}`}
      {error.details && ` (${error.details})`}
      {error.at && <span class="muted"> · {formatDateTime(error.at)}</span>}
    </>
  );
}
