import { t, type MessageKey } from '../i18n';
import type { LiveMode } from '../live/source';
import { useStore } from '../state/context';

const LABEL: Record<LiveMode, MessageKey> = {
  connecting: 'live.connecting',
  stream: 'live.stream',
  polling: 'live.polling',
  offline: 'live.offline',
};

/** How the console follows changes: live, periodic updates, or offline. */
export function LiveIndicator() {
  const store = useStore();
  const mode = store.live.value;
  return (
    <span class={`live live-${mode}`} role="status" aria-live="polite">
      <span class="dot" aria-hidden="true" />
      {t(LABEL[mode])}
    </span>
  );
}
