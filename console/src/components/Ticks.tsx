import type { MessageError, MessageStatus } from '../api/types';
import { catalogues, t, type MessageKey } from '../i18n';

// Delivery ticks of an outbound message: ◷ pending, ✓ sent, ✓✓ delivered,
// blue ✓✓ read, ! failed (with the provider's reason). Plain symbols that
// common text fonts have (DejaVu, Segoe UI, Helvetica): an emoji clock
// shows as an empty box where no emoji font is installed.

const LABEL: Record<Exclude<MessageStatus, 'received'>, MessageKey> = {
  pending: 'status.pending',
  sent: 'status.sent',
  delivered: 'status.delivered',
  read: 'status.read',
  failed: 'status.failed',
};

const GLYPH: Record<Exclude<MessageStatus, 'received'>, string> = {
  pending: '◷',
  sent: '✓',
  delivered: '✓✓',
  read: '✓✓',
  failed: '!',
};

/** failureReason says why a send failed: in the reader's language for the
 * codes the console knows (WhatsApp's and atende's own), else the title the
 * server gave; always with the code. */
export function failureReason(error: MessageError | undefined): string {
  if (!error) {
    return '';
  }
  const key = `sendError.${error.code}`;
  const known = Object.hasOwn(catalogues['pt-BR'], key);
  const what = known ? t(key as MessageKey) : (error.title ?? error.message ?? '');
  return what ? `${what} (${error.code})` : String(error.code);
}

export function Ticks({ status, error }: { status: MessageStatus; error?: MessageError | undefined }) {
  if (status === 'received') {
    return null;
  }
  const label = t(LABEL[status]);
  const reason = status === 'failed' ? failureReason(error) : '';
  const full = reason ? `${label}: ${reason}` : label;
  return (
    <span class={`ticks ticks-${status}`} role="img" aria-label={full} title={full}>
      {GLYPH[status]}
    </span>
  );
}
