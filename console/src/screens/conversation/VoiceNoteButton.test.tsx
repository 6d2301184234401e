// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { SendRequest } from '../../api/types';
import type { VoiceRecording } from '../../lib/voice-recorder';
import { fakeApi } from '../../test/fake-api';
import { FakeServer } from '../../test/fake-server';
import { conv } from '../../test/fixtures';
import { button, click, flush, mount, NOW, testStore } from '../../test/render';
import { formatRecordingTime, VoiceNoteButton } from './VoiceNoteButton';

function fakeRecorder() {
  const log: string[] = [];
  const start = async (): Promise<VoiceRecording> => {
    log.push('start');
    return {
      stop: async () => {
        log.push('stop');
        return new File([new Uint8Array([0x4f, 0x67, 0x67, 0x53])], 'recado.ogg', { type: 'audio/ogg' });
      },
      cancel: () => log.push('cancel'),
    };
  };
  return { log, start };
}

function setup() {
  const server = new FakeServer('ana');
  server.put(conv('c1', { status: 'open', assignee: 'ana' }));
  const uploads: string[] = [];
  const sends: SendRequest[] = [];
  const api = fakeApi(server, {
    uploadMedia: async (file, filename) => {
      uploads.push(`${filename} ${file.type} ${file.size}`);
      return { id: 'md9', kind: 'audio', mime_type: 'audio/ogg', size: file.size, sha256: 'x' };
    },
    send: async (id, body) => {
      sends.push(body);
      return server.send(id, body);
    },
  });
  return { store: testStore(api), uploads, sends };
}

describe('VoiceNoteButton', () => {
  it('RecordsAVoiceNoteAndSendsItAloneKeepingTheDraft', async () => {
    const { store, uploads, sends } = setup();
    const rec = fakeRecorder();
    store.composer.setText('c1', 'Segue o áudio');
    const el = await mount(store, <VoiceNoteButton conversationId="c1" disabled={false} start={rec.start} canRecord />);
    await click(button(el, 'Gravar áudio'));
    expect(el.querySelector('[role=status]')?.textContent).toContain('Gravando 0:00');
    store.now.value = NOW + 65_000;
    await flush();
    expect(el.querySelector('[role=status]')?.textContent).toContain('Gravando 1:05');
    await click(button(el, 'Enviar áudio'));
    await flush();
    expect(rec.log).toEqual(['start', 'stop']);
    expect(uploads).toEqual(['recado.ogg audio/ogg 4']);
    expect(sends).toHaveLength(1);
    expect(sends[0]!.media).toEqual({ id: 'md9' });
    expect(store.composer.text('c1')).toBe('Segue o áudio');
    expect(button(el, 'Gravar áudio')).toBeDefined();
  });

  it('DescartarThrowsTheRecordingAwayAndSendsNothing', async () => {
    const { store, uploads } = setup();
    const rec = fakeRecorder();
    const el = await mount(store, <VoiceNoteButton conversationId="c1" disabled={false} start={rec.start} canRecord />);
    await click(button(el, 'Gravar áudio'));
    await click(button(el, 'Descartar'));
    expect(rec.log).toEqual(['start', 'cancel']);
    expect(uploads).toEqual([]);
  });

  it('ARefusedMicrophoneShowsWhy', async () => {
    const { store } = setup();
    const start = async (): Promise<VoiceRecording> => {
      throw new Error('Permission denied');
    };
    const el = await mount(store, <VoiceNoteButton conversationId="c1" disabled={false} start={start} canRecord />);
    await click(button(el, 'Gravar áudio'));
    expect(el.querySelector('[role=alert]')?.textContent).toBe('Não foi possível usar o microfone: Permission denied');
  });

  it('IsAbsentWhereTheBrowserCannotRecord', async () => {
    const { store } = setup();
    const el = await mount(store, <VoiceNoteButton conversationId="c1" disabled={false} canRecord={false} />);
    expect(button(el, 'Gravar áudio')).toBeUndefined();
  });

  it('FormatsTheRecordingTime', () => {
    expect(formatRecordingTime(0)).toBe('0:00');
    expect(formatRecordingTime(65_400)).toBe('1:05');
    expect(formatRecordingTime(600_000)).toBe('10:00');
  });
});
