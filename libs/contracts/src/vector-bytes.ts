/**
 * Float32 vectors as bytes, little-endian: how embeddings travel in message frames and how the store keeps them
 * (persisted and detected faces, snapshot scales). One layout for both, so a vector is copied, never converted.
 */
import { endianness } from 'node:os';

/** On little-endian hosts (x86-64, arm64) the memory layout already is the byte layout: copy, don't convert. */
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
