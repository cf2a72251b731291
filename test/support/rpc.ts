/** Direct access to the store's queues, for checks that need to see behind the gateway. */
import { randomUUID } from 'node:crypto';
import type { AddFaceRequest } from '#contracts';
import { RpcClient } from '#messaging';

export function connectRpc(amqpUrl: string): Promise<RpcClient> {
  return RpcClient.connect(amqpUrl, { name: 'visage-test', defaultTimeoutMs: 60_000 });
}

/** A unit vector standing in for a real face embedding. */
export function syntheticEmbedding(dimension = 128): Float32Array {
  const vector = new Float32Array(dimension).map(() => Math.random() - 0.5);
  const norm = Math.hypot(...vector);
  return vector.map((v) => v / norm);
}

export function addFaceRequest(tenantId: string, groupId: string, personId: string): AddFaceRequest {
  const requestId = randomUUID();
  return {
    tenantId,
    kind: 'largePersonGroup',
    groupId,
    personId,
    requestId,
    fingerprint: requestId,
    detectionModel: 'detection_01',
    recognitionModel: 'recognition_01',
    faceRectangle: { left: 1, top: 2, width: 100, height: 120 },
    embedding: syntheticEmbedding(),
  };
}
