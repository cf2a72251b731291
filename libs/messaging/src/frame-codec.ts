/**
 * Message bodies: JSON for the structure, with byte payloads (images, embeddings) carried raw after it, so an
 * image is never inflated into base64 or a JSON number array on its way through the broker.
 * Layout: u32 BE length of the JSON, the JSON, then the binary tail. Embeddings travel as float32 little-endian
 * (vector-bytes.ts in the contracts).
 */
import { float32ToLittleEndian, littleEndianToFloat32 } from '#contracts';

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
  const head = frame.toString('utf8', 4, 4 + headLength);
  // Most replies carry no bytes: parsing without a reviver spares a call per value.
  if (!head.includes(`"${BINARY}"`) && !head.includes(`"${FLOAT32}"`)) return JSON.parse(head) as T;
  const tail = frame.subarray(4 + headLength);
  const slice = ([offset, length]: Slot): Buffer => {
    if (offset < 0 || length < 0 || offset + length > tail.length) throw new Error('Frame slot out of range');
    return Buffer.from(tail.subarray(offset, offset + length));
  };
  return JSON.parse(head, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const record = value as Record<string, unknown>;
      if (BINARY in record) return slice(record[BINARY] as Slot);
      if (FLOAT32 in record) return littleEndianToFloat32(slice(record[FLOAT32] as Slot));
    }
    return value;
  }) as T;
}
