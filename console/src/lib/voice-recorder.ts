import { webmToOggOpus } from './ogg-opus';

/**
 * Recording a voice note from the microphone. The result is always an Ogg
 * Opus file (WhatsApp's voice note): a browser that records Ogg Opus
 * itself (Firefox) gives it as it is; one that records WebM Opus
 * (Chromium) has it re-wrapped by ogg-opus.ts.
 *
 *   const rec = await startVoiceRecording();
 *   const file = await rec.stop();   // File "recado-….ogg", audio/ogg
 */
export interface VoiceRecording {
  /** Stop and give the voice note. */
  stop(): Promise<File>;
  /** Stop and throw the sound away. */
  cancel(): void;
}

export type StartVoiceRecording = () => Promise<VoiceRecording>;

const OGG = 'audio/ogg;codecs=opus';
const WEBM = 'audio/webm;codecs=opus';

/** The container this browser records Opus in, or null when it cannot record. */
export function recordingType(): typeof OGG | typeof WEBM | null {
  if (typeof MediaRecorder === 'undefined' || typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia) {
    return null;
  }
  if (MediaRecorder.isTypeSupported(OGG)) {
    return OGG;
  }
  return MediaRecorder.isTypeSupported(WEBM) ? WEBM : null;
}

export const startVoiceRecording: StartVoiceRecording = async () => {
  const type = recordingType();
  if (!type) {
    throw new Error('this browser cannot record Opus audio');
  }
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  const release = () => stream.getTracks().forEach((t) => t.stop());
  let recorder: MediaRecorder;
  try {
    recorder = new MediaRecorder(stream, { mimeType: type, audioBitsPerSecond: 32_000 });
  } catch (e) {
    release();
    throw e;
  }
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => {
    if (e.data.size > 0) {
      chunks.push(e.data);
    }
  };
  const stopped = new Promise<void>((resolve) => {
    recorder.onstop = () => resolve();
  });
  recorder.start();
  const startedAt = Date.now();
  return {
    async stop() {
      recorder.stop();
      await stopped;
      release();
      const recorded = new Uint8Array(await new Blob(chunks).arrayBuffer());
      const ogg = type === OGG ? recorded : webmToOggOpus(recorded, startedAt >>> 0);
      return new File([ogg as BlobPart], `recado-${new Date(startedAt).toISOString().replace(/[:.]/g, '-')}.ogg`, { type: 'audio/ogg' });
    },
    cancel() {
      recorder.onstop = null;
      if (recorder.state !== 'inactive') {
        recorder.stop();
      }
      release();
    },
  };
};
