// Voice notes: Chromium's MediaRecorder records Opus in a WebM (Matroska)
// container, and WhatsApp takes voice notes only as Opus in an Ogg
// container. The Opus packets are the same in both, so a voice note is
// re-wrapped here, not re-encoded.
//
// Read: the WebM's EBML elements (RFC 8794; Matroska's element ids), the
// Opus track's CodecPrivate (an "OpusHead", RFC 7845 §5.1) and CodecDelay,
// and the frames of its SimpleBlocks and Blocks. Written: an Ogg stream
// (RFC 3533) as RFC 7845 maps Opus into it: a page with OpusHead, a page
// with OpusTags, then the packets, each page's granule position being the
// 48 kHz samples up to its last packet (durations from each packet's TOC
// byte, RFC 6716 §3.1).

/** Why a recording cannot be turned into a voice note. */
export class VoiceNoteFormatError extends Error {}

const ID = {
  segment: 0x18538067,
  tracks: 0x1654ae6b,
  trackEntry: 0xae,
  trackNumber: 0xd7,
  codecId: 0x86,
  codecPrivate: 0x63a2,
  codecDelay: 0x56aa,
  audio: 0xe1,
  channels: 0x9f,
  samplingFrequency: 0xb5,
  cluster: 0x1f43b675,
  blockGroup: 0xa0,
  block: 0xa1,
  simpleBlock: 0xa3,
} as const;

/** Elements whose children are read in place (their own size may be unknown). */
const MASTERS: ReadonlySet<number> = new Set([ID.segment, ID.tracks, ID.trackEntry, ID.audio, ID.cluster, ID.blockGroup]);

interface Track {
  number: number;
  codec: string;
  codecPrivate: Uint8Array | null;
  codecDelayNs: number;
  channels: number;
  rate: number;
}

export interface OpusStream {
  /** RFC 7845's identification header. */
  head: Uint8Array;
  packets: Uint8Array[];
}

/** The Opus track of a WebM recording: its header and its packets in order. */
export function readWebmOpus(bytes: Uint8Array): OpusStream {
  const tracks: Track[] = [];
  const blocks: Array<{ track: number; frame: Uint8Array }> = [];
  let track: Track | null = null;
  let pos = 0;
  while (pos < bytes.length) {
    const id = readId(bytes, pos);
    const size = readSize(bytes, pos + id.length);
    const start = pos + id.length + size.length;
    if (size.value !== null && start + size.value > bytes.length) {
      // A recording stopped mid-element: keep what is complete.
      break;
    }
    if (MASTERS.has(id.value)) {
      if (id.value === ID.trackEntry) {
        track = { number: 0, codec: '', codecPrivate: null, codecDelayNs: 0, channels: 1, rate: 48000 };
        tracks.push(track);
      }
      pos = start;
      continue;
    }
    if (size.value === null) {
      throw new VoiceNoteFormatError('the recording has an element of unknown size that is not a container');
    }
    const body = bytes.subarray(start, start + size.value);
    switch (id.value) {
      case ID.trackNumber:
        if (track) track.number = readUint(body);
        break;
      case ID.codecId:
        if (track) track.codec = new TextDecoder().decode(body);
        break;
      case ID.codecPrivate:
        if (track) track.codecPrivate = body;
        break;
      case ID.codecDelay:
        if (track) track.codecDelayNs = readUint(body);
        break;
      case ID.channels:
        if (track) track.channels = readUint(body);
        break;
      case ID.samplingFrequency:
        if (track) track.rate = readFloat(body);
        break;
      case ID.simpleBlock:
      case ID.block:
        blocks.push(readBlock(body));
        break;
    }
    pos = start + size.value;
  }

  const opus = tracks.find((t) => t.codec === 'A_OPUS');
  if (!opus) {
    throw new VoiceNoteFormatError(tracks.length === 0 ? 'the recording has no tracks' : `the recording is not Opus (${tracks.map((t) => t.codec).join(', ')})`);
  }
  const packets = blocks.filter((b) => b.track === opus.number).map((b) => b.frame);
  if (packets.length === 0) {
    throw new VoiceNoteFormatError('the recording has no sound');
  }
  const head = opus.codecPrivate && ascii(opus.codecPrivate, 0, 8) === 'OpusHead' ? opus.codecPrivate : opusHead(opus);
  return { head, packets };
}

/** An OpusHead for a track whose CodecPrivate lacks one (RFC 7845 §5.1, mapping family 0). */
function opusHead(t: Track): Uint8Array {
  if (t.channels < 1 || t.channels > 2) {
    throw new VoiceNoteFormatError(`the recording has ${t.channels} channels and no channel mapping`);
  }
  const out = new Uint8Array(19);
  out.set(new TextEncoder().encode('OpusHead'), 0);
  const v = new DataView(out.buffer);
  out[8] = 1;
  out[9] = t.channels;
  v.setUint16(10, Math.round((t.codecDelayNs * 48000) / 1e9), true);
  v.setUint32(12, Math.round(t.rate), true);
  v.setInt16(16, 0, true);
  out[18] = 0;
  return out;
}

function readBlock(body: Uint8Array): { track: number; frame: Uint8Array } {
  const track = readSize(body, 0);
  if (track.value === null) {
    throw new VoiceNoteFormatError('a block names no track');
  }
  const flags = body[track.length + 2]!;
  if ((flags & 0x06) !== 0) {
    throw new VoiceNoteFormatError('the recording uses laced blocks');
  }
  return { track: track.value, frame: body.subarray(track.length + 3) };
}

interface Vint {
  value: number;
  length: number;
}

/** An element id: a variable-length integer kept with its length marker. */
function readId(b: Uint8Array, pos: number): Vint {
  const first = b[pos];
  if (first === undefined) {
    throw new VoiceNoteFormatError('the recording ends inside an element');
  }
  const length = Math.clz32(first) - 23;
  if (length < 1 || length > 4 || pos + length > b.length) {
    throw new VoiceNoteFormatError(`the recording has a bad element id at byte ${pos}`);
  }
  let value = 0;
  for (let i = 0; i < length; i++) {
    value = value * 256 + b[pos + i]!;
  }
  return { value, length };
}

/** An element size or track number: the marker removed; all ones means unknown (null). */
function readSize(b: Uint8Array, pos: number): { value: number | null; length: number } {
  const first = b[pos];
  if (first === undefined) {
    throw new VoiceNoteFormatError('the recording ends inside an element');
  }
  const length = Math.clz32(first) - 23;
  if (length < 1 || length > 8 || pos + length > b.length) {
    throw new VoiceNoteFormatError(`the recording has a bad element size at byte ${pos}`);
  }
  let value = first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const byte = b[pos + i]!;
    allOnes &&= byte === 0xff;
    value = value * 256 + byte;
  }
  return { value: allOnes ? null : value, length };
}

function readUint(b: Uint8Array): number {
  let v = 0;
  for (const byte of b) {
    v = v * 256 + byte;
  }
  return v;
}

function readFloat(b: Uint8Array): number {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return b.byteLength === 4 ? v.getFloat32(0) : b.byteLength === 8 ? v.getFloat64(0) : 0;
}

function ascii(b: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...b.subarray(from, to));
}

// ---- Opus packets ----------------------------------------------------------

/** The 48 kHz samples an Opus packet holds, from its TOC byte (RFC 6716 §3.1). */
export function opusPacketSamples(packet: Uint8Array): number {
  const toc = packet[0];
  if (toc === undefined) {
    return 0;
  }
  const config = toc >> 3;
  let frame: number; // in units of 2.5 ms = 120 samples
  if (config < 12) {
    frame = [4, 8, 16, 24][config & 3]!; // SILK: 10, 20, 40, 60 ms
  } else if (config < 16) {
    frame = config & 1 ? 8 : 4; // Hybrid: 10, 20 ms
  } else {
    frame = [1, 2, 4, 8][config & 3]!; // CELT: 2.5, 5, 10, 20 ms
  }
  const code = toc & 3;
  const frames = code === 0 ? 1 : code === 3 ? (packet[1] ?? 0) & 0x3f : 2;
  return frames * frame * 120;
}

// ---- Ogg ------------------------------------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let k = 0; k < 8; k++) {
      r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    }
    table[i] = r >>> 0;
  }
  return table;
})();

/** Ogg's page checksum: CRC-32, polynomial 0x04c11db7, not reflected, no final xor. */
export function oggCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) {
    crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ b) & 0xff]!) >>> 0;
  }
  return crc;
}

const BOS = 0x02;
const EOS = 0x04;
/** Packets per page beyond the headers: about a second of 20 ms packets. */
const PACKETS_PER_PAGE = 50;

function oggPage(packets: readonly Uint8Array[], flags: number, granule: bigint, serial: number, sequence: number): Uint8Array {
  const lacing: number[] = [];
  for (const p of packets) {
    for (let left = p.length; ; left -= 255) {
      lacing.push(Math.min(left, 255));
      if (left < 255) {
        break;
      }
    }
  }
  if (lacing.length > 255) {
    throw new VoiceNoteFormatError('an Ogg page would need more than 255 segments');
  }
  const size = packets.reduce((n, p) => n + p.length, 0);
  const page = new Uint8Array(27 + lacing.length + size);
  const v = new DataView(page.buffer);
  page.set([0x4f, 0x67, 0x67, 0x53], 0); // "OggS"
  page[4] = 0;
  page[5] = flags;
  v.setBigInt64(6, granule, true);
  v.setUint32(14, serial, true);
  v.setUint32(18, sequence, true);
  page[26] = lacing.length;
  page.set(lacing, 27);
  let at = 27 + lacing.length;
  for (const p of packets) {
    page.set(p, at);
    at += p.length;
  }
  v.setUint32(22, oggCrc(page), true);
  return page;
}

function opusTags(vendor: string): Uint8Array {
  const name = new TextEncoder().encode(vendor);
  const out = new Uint8Array(8 + 4 + name.length + 4);
  const v = new DataView(out.buffer);
  out.set(new TextEncoder().encode('OpusTags'), 0);
  v.setUint32(8, name.length, true);
  out.set(name, 12);
  v.setUint32(12 + name.length, 0, true);
  return out;
}

/** An Ogg Opus file (RFC 7845) of an Opus stream; `serial` names the logical stream. */
export function writeOggOpus(stream: OpusStream, serial: number): Uint8Array {
  const pages: Uint8Array[] = [oggPage([stream.head], BOS, 0n, serial, 0), oggPage([opusTags('atende')], 0, 0n, serial, 1)];
  let granule = 0n;
  let chunk: Uint8Array[] = [];
  let segments = 0;
  stream.packets.forEach((p, i) => {
    chunk.push(p);
    segments += Math.floor(p.length / 255) + 1;
    granule += BigInt(opusPacketSamples(p));
    const next = stream.packets[i + 1];
    const last = next === undefined;
    if (last || chunk.length === PACKETS_PER_PAGE || segments + Math.floor(next.length / 255) + 1 > 255) {
      pages.push(oggPage(chunk, last ? EOS : 0, granule, serial, pages.length));
      chunk = [];
      segments = 0;
    }
  });
  const out = new Uint8Array(pages.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pages) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A WebM Opus recording as an Ogg Opus voice note. */
export function webmToOggOpus(webm: Uint8Array, serial: number): Uint8Array {
  return writeOggOpus(readWebmOpus(webm), serial);
}
