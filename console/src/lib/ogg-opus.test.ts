/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { oggCrc, opusPacketSamples, readWebmOpus, VoiceNoteFormatError, webmToOggOpus } from './ogg-opus';

// The fixture is a real Ogg Opus voice note (libopusenc); its packets,
// wrapped in a WebM as Chromium's MediaRecorder writes one (Segment and
// Cluster of unknown size, one frame per SimpleBlock), must come back out
// as the same packets in a valid Ogg Opus stream.

const RECADO = new Uint8Array(readFileSync(fileURLToPath(new URL('../../e2e/fixtures/recado.ogg', import.meta.url))));

interface OggPage {
  flags: number;
  granule: bigint;
  serial: number;
  sequence: number;
  crcOk: boolean;
  packets: Uint8Array[];
  /** The last packet continues on the next page. */
  open: boolean;
}

function readOgg(bytes: Uint8Array): OggPage[] {
  const pages: OggPage[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const v = new DataView(bytes.buffer, bytes.byteOffset + pos);
    expect(String.fromCharCode(...bytes.subarray(pos, pos + 4))).toBe('OggS');
    const n = bytes[pos + 26]!;
    const lacing = [...bytes.subarray(pos + 27, pos + 27 + n)];
    const size = lacing.reduce((a, b) => a + b, 0);
    const page = bytes.slice(pos, pos + 27 + n + size);
    const stored = new DataView(page.buffer).getUint32(22, true);
    page.fill(0, 22, 26);
    const packets: Uint8Array[] = [];
    let at = pos + 27 + n;
    let current: number[] = [];
    for (const l of lacing) {
      current.push(...bytes.subarray(at, at + l));
      at += l;
      if (l < 255) {
        packets.push(new Uint8Array(current));
        current = [];
      }
    }
    pages.push({
      flags: bytes[pos + 5]!,
      granule: v.getBigInt64(6, true),
      serial: v.getUint32(14, true),
      sequence: v.getUint32(18, true),
      crcOk: oggCrc(page) === stored,
      packets,
      open: current.length > 0,
    });
    pos += 27 + n + size;
  }
  return pages;
}

// ---- a WebM writer, as Chromium's recorder lays one out --------------------

function vint(value: number, length?: number): number[] {
  const len = length ?? (value < 0x7f ? 1 : value < 0x3fff ? 2 : value < 0x1fffff ? 3 : 4);
  const out: number[] = [];
  for (let i = len - 1; i >= 0; i--) {
    out.push(Math.floor(value / 256 ** i) & 0xff);
  }
  out[0]! |= 0x80 >> (len - 1);
  return out;
}

function idBytes(id: number): number[] {
  const out: number[] = [];
  for (let v = id; v > 0; v = Math.floor(v / 256)) {
    out.unshift(v & 0xff);
  }
  return out;
}

function el(id: number, body: number[] | Uint8Array): number[] {
  return [...idBytes(id), ...vint(body.length), ...body];
}

const UNKNOWN = [0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

function webm(opts: { codec?: string; codecPrivate?: Uint8Array | null; packets: Uint8Array[]; truncate?: number }): Uint8Array {
  const entry = [
    ...el(0xd7, [1]),
    ...el(0x86, [...new TextEncoder().encode(opts.codec ?? 'A_OPUS')]),
    ...(opts.codecPrivate ? el(0x63a2, opts.codecPrivate) : []),
    ...el(0x56aa, [0x00, 0x63, 0x2e, 0xa0]), // 6.5 ms of codec delay
    ...el(0xe1, [...el(0x9f, [1]), ...el(0xb5, [0x47, 0x3b, 0x80, 0x00])]), // mono, 48000.0
  ];
  const blocks = opts.packets.flatMap((p, i) => el(0xa3, [0x81, ((i * 20) >> 8) & 0xff, (i * 20) & 0xff, 0x80, ...p]));
  const bytes = [
    ...el(0x1a45dfa3, [...el(0x4282, [...new TextEncoder().encode('webm')])]),
    ...idBytes(0x18538067),
    ...UNKNOWN,
    ...el(0x1549a966, [...el(0x2ad7b1, [0x0f, 0x42, 0x40])]),
    ...el(0x1654ae6b, el(0xae, entry)),
    ...idBytes(0x1f43b675),
    ...UNKNOWN,
    ...el(0xe7, [0]),
    ...blocks,
  ];
  return new Uint8Array(opts.truncate ? bytes.slice(0, bytes.length - opts.truncate) : bytes);
}

const original = readOgg(RECADO);
const head = original[0]!.packets[0]!;
const audio = original.slice(2).flatMap((p) => p.packets);

describe('ogg-opus', () => {
  it('ComputesOggsChecksumAsARealEncoderDoes', () => {
    expect(original.length).toBeGreaterThan(2);
    for (const page of original) {
      expect(page.crcOk).toBe(true);
    }
  });

  it('KnowsAnOpusPacketsDurationFromItsTocByte', () => {
    expect(opusPacketSamples(new Uint8Array([0xf8]))).toBe(960); // CELT FB 20 ms, one frame
    expect(opusPacketSamples(new Uint8Array([0x08]))).toBe(960); // SILK NB 20 ms
    expect(opusPacketSamples(new Uint8Array([0x18]))).toBe(2880); // SILK NB 60 ms
    expect(opusPacketSamples(new Uint8Array([0x78]))).toBe(960); // Hybrid FB 20 ms
    expect(opusPacketSamples(new Uint8Array([0xf9]))).toBe(1920); // two frames
    expect(opusPacketSamples(new Uint8Array([0xf3, 0x05]))).toBe(5 * 480); // code 3: five CELT 10 ms frames
    expect(opusPacketSamples(new Uint8Array([0xe0]))).toBe(120); // CELT 2.5 ms
  });

  it('RewrapsAWebmRecordingsPacketsIntoAValidOggOpusStream', () => {
    const ogg = readOgg(webmToOggOpus(webm({ codecPrivate: head, packets: audio }), 0x1234));
    expect(ogg.every((p) => p.crcOk && p.serial === 0x1234 && !p.open)).toBe(true);
    expect(ogg.map((p) => p.sequence)).toEqual(ogg.map((_, i) => i));
    expect(ogg[0]).toMatchObject({ flags: 0x02, granule: 0n, packets: [head] });
    expect(new TextDecoder().decode(ogg[1]!.packets[0]!.subarray(0, 8))).toBe('OpusTags');
    expect(ogg.at(-1)!.flags).toBe(0x04);
    expect(ogg.slice(2).flatMap((p) => p.packets)).toEqual(audio);
    // Each page's granule counts the samples up to its last packet.
    let samples = 0n;
    for (const page of ogg.slice(2)) {
      samples += page.packets.reduce((n, p) => n + BigInt(opusPacketSamples(p)), 0n);
      expect(page.granule).toBe(samples);
    }
    // The original encoder trims the end; ours keeps whole packets.
    const end = original.at(-1)!.granule;
    expect(samples >= end && samples - end < 960n).toBe(true);
  });

  it('WritesAnOpusHeadWhenTheRecordingHasNone', () => {
    const { head: made } = readWebmOpus(webm({ codecPrivate: null, packets: audio }));
    const v = new DataView(made.buffer);
    expect(new TextDecoder().decode(made.subarray(0, 8))).toBe('OpusHead');
    expect({ version: made[8], channels: made[9], preSkip: v.getUint16(10, true), rate: v.getUint32(12, true) }).toEqual({ version: 1, channels: 1, preSkip: 312, rate: 48000 });
  });

  it('KeepsTheCompletePacketsOfARecordingCutShort', () => {
    const { packets } = readWebmOpus(webm({ codecPrivate: head, packets: audio, truncate: 3 }));
    expect(packets).toEqual(audio.slice(0, -1));
  });

  it('RefusesARecordingThatIsNotOpusNamingTheCodec', () => {
    expect(() => readWebmOpus(webm({ codec: 'A_VORBIS', packets: audio }))).toThrow(new VoiceNoteFormatError('the recording is not Opus (A_VORBIS)'));
    expect(() => readWebmOpus(webm({ codecPrivate: head, packets: [] }))).toThrow(new VoiceNoteFormatError('the recording has no sound'));
    expect(() => readWebmOpus(new Uint8Array([0x00]))).toThrow(VoiceNoteFormatError);
  });
});
