/**
 * face-api's default entry needs tfjs-node, which cannot be installed everywhere; its node-wasm build uses
 * our own @tensorflow/tfjs instance (whatever backend was chosen) and reads weights shipped inside the package,
 * so the detector starts with no network and no model download.
 */
import path from 'node:path';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import { requiredFaceApiNets } from './model-registry';

export { faceapi };

/** The `model/` folder next to face-api's package.json. */
export function faceApiWeightsFolder(): string {
  return path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
}

/** Loads every network the registry refers to; returns their names. Idempotent. */
export async function loadFaceApiNets(): Promise<string[]> {
  const folder = faceApiWeightsFolder();
  const names = requiredFaceApiNets();
  for (const name of names) {
    const net = faceapi.nets[name];
    if (!net.isLoaded) {
      await net.loadFromDisk(folder);
    }
  }
  return names;
}
