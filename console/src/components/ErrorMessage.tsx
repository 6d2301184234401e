import type { ApiError } from '../api/error';
import { t } from '../i18n';

/**
 * An API error as the agent sees it: always the API's own `message`; a
 * network failure gets a word of ours before it.
 */
export function ErrorMessage({ error, id }: { error: ApiError | null | undefined; id?: string }) {
  if (!error) {
    return null;
  }
  return (
    <p class="error" role="alert" id={id}>
      {error.isNetwork ? `${t('error.network')} ` : ''}
      {error.message}
    </p>
  );
}
