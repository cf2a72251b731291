/**
 * Message bodies: JSON for the structure, with byte payloads (images, embeddings) carried raw after it, so an
 * image is never inflated into base64 or a JSON number array on its way through the broker.
 * Layout: u32 BE length of the JSON, the JSON, then the binary tail. Embeddings travel as float32 little-endian.
 */
import { endianness } from 'node:os';

const BINARY = '$bin';
const FLOAT32 = '$f32';

type Slot = [offset: number, length: number];

export function encodeFrame(value: unknown): Buffer {
  const parts: Buffer[] = [];
  let tailLength = 0;
  const take = (bytes: Buffer): Slot => {
    parts.push(bytes);
    tailLength += bytes.length;
    return [tailLength - bytes.length, bytes.length];
  };
  const json = JSON.stringify(value, function (this: Record<string, unknown>, key: string, current: unknown) {
    const raw = key === '' ? current : this[key];
    if (Buffer.isBuffer(raw)) return { [BINARY]: take(raw) };
    if (raw instanceof Float32Array) return { [FLOAT32]: take(float32ToLittleEndian(raw)) };
    return current;
  });
  const head = Buffer.from(json ?? 'null', 'utf8');
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(head.length, 0);
  return Buffer.concat([prefix, head, ...parts]);
}

export function decodeFrame<T>(frame: Buffer): T {
  if (frame.length < 4) throw new Error('Frame too short');
  const headLength = frame.readUInt32BE(0);
  if (4 + headLength > frame.length) throw new Error('Frame head exceeds the frame');
  const tail = frame.subarray(4 + headLength);
  const slice = ([offset, length]: Slot): Buffer => {
    if (offset < 0 || length < 0 || offset + length > tail.length) throw new Error('Frame slot out of range');
    return Buffer.from(tail.subarray(offset, offset + length));
  };
  return JSON.parse(frame.subarray(4, 4 + headLength).toString('utf8'), (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const record = value as Record<string, unknown>;
      if (BINARY in record) return slice(record[BINARY] as Slot);
      if (FLOAT32 in record) return littleEndianToFloat32(slice(record[FLOAT32] as Slot));
    }
    return value;
  }) as T;
}

/** On little-endian hosts (x86-64, arm64) the memory layout already is the wire layout: copy, don't convert. */
const hostIsLittleEndian = endianness() === 'LE';

export function float32ToLittleEndian(vector: Float32Array): Buffer {
  if (hostIsLittleEndian) return Buffer.from(new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength));
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  return bytes;
}

export function littleEndianToFloat32(bytes: Buffer): Float32Array {
  if (bytes.length % 4 !== 0) throw new Error('Float32 payload length is not a multiple of 4');
  if (hostIsLittleEndian) {
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  }
  const vector = new Float32Array(bytes.length / 4);
  for (let i = 0; i < vector.length; i++) vector[i] = bytes.readFloatLE(i * 4);
  return vector;
}
