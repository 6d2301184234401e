import type { ApiError } from '../api/error';
import { t, type MessageKey } from '../i18n';
import { ptBR } from '../i18n/pt-BR';

/**
 * The agent's words for an API error code (`api_error.<code>` in the
 * catalogue), or null for a code the console does not know.
 */
export function errorLead(code: string): string | null {
  const key = `api_error.${code}`;
  return key in ptBR ? t(key as MessageKey) : null;
}

/**
 * An API error as the agent sees it: a sentence of ours in the agent's
 * language for the error's code, then always the API's own `message`,
 * which says exactly what was refused; a network failure gets a word of
 * ours before it.
 */
export function ErrorMessage({ error, id }: { error: ApiError | null | undefined; id?: string }) {
  if (!error) {
    return null;
  }
  return (
    <p class="error" role="alert" id={id}>
      <ErrorText error={error} />
    </p>
  );
}

/** The words of ErrorMessage without its paragraph (lists of results). */
export function ErrorText({ error }: { error: Pick<ApiError, 'code' | 'message'> & { isNetwork?: boolean } }) {
  const lead = error.isNetwork ? t('error.network') : errorLead(error.code);
  return (
    <>
      {lead && <strong class="error-lead">{lead}</strong>}
      {lead ? ' ' : ''}
      <span class="error-detail">{error.message}</span>
    </>
  );
}
