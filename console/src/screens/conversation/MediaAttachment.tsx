import { useEffect, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../../api/error';
import type { Message } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatBytes } from '../../i18n/format';
import { t, type MessageKey } from '../../i18n';
import { useStore } from '../../state/context';
import type { MediaKind } from './message-view';

const KIND_LABEL: Record<MediaKind, MessageKey> = {
  image: 'kind.image',
  audio: 'kind.audio',
  video: 'kind.video',
  document: 'kind.document',
  sticker: 'kind.sticker',
};

const ICON: Record<MediaKind, string> = { image: '🖼', audio: '🎤', video: '🎬', document: '📄', sticker: '🏷' };

/**
 * A media message: a placeholder with kind, file name, size and caption;
 * the bytes (GET /v1/media/{id}, which needs the token) are fetched on
 * request and shown as image, player or download. A file atende has not
 * stored (no `media.id`) shows as unavailable.
 */
export function MediaAttachment({ message, kind }: { message: Message; kind: MediaKind }) {
  const store = useStore();
  const media = message.media;
  const [url, setUrl] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(
    () => () => {
      if (url) {
        URL.revokeObjectURL(url);
      }
    },
    [url],
  );

  const load = async () => {
    if (!media?.id) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const blob = await store.deps.api.media(media.id);
      setUrl(URL.createObjectURL(blob));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const label = t(KIND_LABEL[kind]);
  const name = media?.filename ?? label;
  return (
    <div class={`media media-${kind}`}>
      {url ? (
        kind === 'image' || kind === 'sticker' ? (
          <img src={url} alt={media?.caption ?? name} />
        ) : kind === 'audio' ? (
          <audio controls src={url} aria-label={name} />
        ) : kind === 'video' ? (
          <video controls src={url} aria-label={name} />
        ) : (
          <a href={url} download={media?.filename ?? 'arquivo'}>
            {t('media.save', { name })}
          </a>
        )
      ) : (
        <div class="media-placeholder">
          <span aria-hidden="true" class="media-icon">
            {ICON[kind]}
          </span>
          <span class="media-name">{name}</span>
          {media?.size !== undefined && <span class="muted">{formatBytes(media.size)}</span>}
          {media?.id ? (
            <button type="button" disabled={busy} onClick={() => void load()}>
              {busy ? t('common.loading') : t('media.open')}
            </button>
          ) : (
            <span class="muted">{t('media.unavailable')}</span>
          )}
        </div>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}
