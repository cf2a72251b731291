/**
 * The same detector image runs on machines with a GPU, with native TensorFlow, or with neither; the
 * backend is decided once at start so each process uses the fastest engine that actually loads there.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/** `auto` tries native TensorFlow, then WASM, then the plain JavaScript backend. */
export type BackendPreference = 'auto' | 'wasm' | 'cpu';

/** Native bindings in order of preference; each registers the `tensorflow` backend when it loads. */
const nativeBindings = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];

/**
 * Activates the backend and returns its name as health reports it: `tensorflow`, `wasm-simd`, `wasm` or `cpu`.
 * A forced preference that cannot start throws rather than silently running on plain JavaScript, many times slower.
 */
export async function selectBackend(preference: BackendPreference): Promise<string> {
  if (preference === 'auto' && (await tryNativeBinding())) {
    return 'tensorflow';
  }
  if (preference !== 'cpu') {
    if (await activate('wasm')) {
      return (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? 'wasm-simd' : 'wasm';
    }
    if (preference === 'wasm') {
      throw new Error('TF_BACKEND=wasm was requested but the WASM backend failed to start');
    }
  }
  if (!(await activate('cpu'))) {
    throw new Error('No TensorFlow.js backend could start');
  }
  process.emitWarning(
    'Face models run on the plain JavaScript cpu backend: about 30 times slower than WASM (seconds per image)',
    { code: 'VISAGE_SLOW_BACKEND' },
  );
  return 'cpu';
}

async function tryNativeBinding(): Promise<boolean> {
  for (const binding of nativeBindings) {
    try {
      await import(binding);
      if (await activate('tensorflow')) {
        return true;
      }
    } catch {
      // Not installed, or installed without its native library: both are normal here, try the next engine.
    }
  }
  return false;
}

async function activate(name: string): Promise<boolean> {
  try {
    const activated = await tf.setBackend(name);
    await tf.ready();
    return activated;
  } catch {
    return false;
  }
}
