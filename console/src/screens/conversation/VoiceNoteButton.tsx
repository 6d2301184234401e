import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../../i18n';
import { recordingType, startVoiceRecording, type StartVoiceRecording, type VoiceRecording } from '../../lib/voice-recorder';
import { useStore } from '../../state/context';

/** "1:05" */
export function formatRecordingTime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * Gravar áudio: records a voice note from the microphone and sends it as
 * WhatsApp's voice note (Ogg Opus), on its own: the draft stays. While
 * recording, the elapsed time shows with Enviar áudio and Descartar.
 * Absent where the browser cannot record.
 */
export function VoiceNoteButton(props: { conversationId: string; disabled: boolean; start?: StartVoiceRecording; canRecord?: boolean }) {
  const store = useStore();
  const start = props.start ?? startVoiceRecording;
  const [recording, setRecording] = useState<{ rec: VoiceRecording; since: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const held = useRef<VoiceRecording | null>(null);

  useEffect(
    () => () => {
      // Leaving the conversation drops an unfinished recording and frees the microphone.
      held.current?.cancel();
    },
    [],
  );

  if (!(props.canRecord ?? recordingType() !== null)) {
    return null;
  }

  const begin = async () => {
    setError(null);
    setStarting(true);
    try {
      const rec = await start();
      held.current = rec;
      setRecording({ rec, since: store.now.value });
    } catch (e) {
      setError(t('voice.no_microphone', { reason: e instanceof Error ? e.message : String(e) }));
    } finally {
      setStarting(false);
    }
  };

  const finish = async (send: boolean) => {
    const current = recording;
    if (!current) {
      return;
    }
    setRecording(null);
    held.current = null;
    if (!send) {
      current.rec.cancel();
      return;
    }
    let file: File;
    try {
      file = await current.rec.stop();
    } catch (e) {
      setError(t('voice.failed', { reason: e instanceof Error ? e.message : String(e) }));
      return;
    }
    await store.composer.sendFile(props.conversationId, file, { caption: false });
  };

  if (recording) {
    return (
      <div class="voice-recording">
        <span role="status">
          <span class="rec-dot" aria-hidden="true">
            ●
          </span>{' '}
          {t('voice.recording', { time: formatRecordingTime(store.now.value - recording.since) })}
        </span>
        <button type="button" class="primary" onClick={() => void finish(true)}>
          {t('voice.send')}
        </button>
        <button type="button" onClick={() => void finish(false)}>
          {t('voice.discard')}
        </button>
      </div>
    );
  }
  return (
    <>
      <button type="button" disabled={props.disabled || starting} onClick={() => void begin()}>
        {t('voice.record')}
      </button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
