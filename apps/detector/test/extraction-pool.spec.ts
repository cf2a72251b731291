/**
 * The detector's answers to every awkward upload of the shared edge set, the targetFace rule on a real group
 * photo and a first check that embeddings separate people, all through the worker pool the service runs.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type ErrorKey, type ExtractReply, type ExtractRequest, type FaceRectangle, VisageError } from '#contracts';
import { ExtractionPool } from '../src/extraction/extraction-pool';

const repoRoot = path.resolve(__dirname, '../../../..');
const facesDir = path.resolve(repoRoot, '../shared/testdata/faces');

interface EdgeCase {
  file: string;
  expect: string;
  faces: number | null;
}

const edgeCases: EdgeCase[] = JSON.parse(readFileSync(path.join(facesDir, 'edge/manifest.json'), 'utf8'));

/** Answer of the manifest's `detect` column: a face count, or the refusal. */
const detectAnswer: Record<string, ErrorKey | 'faces'> = {
  single_face: 'faces',
  multiple_faces: 'faces',
  no_face: 'faces',
  face_too_small: 'faces',
  image_too_small: 'IMAGE_TOO_SMALL',
  invalid_image: 'INVALID_IMAGE',
  unsupported_format: 'INVALID_IMAGE',
  too_many_pixels: 'IMAGE_TOO_MANY_PIXELS',
};

/** Answer of the manifest's `add_face` column: one face, or the refusal. */
const enrolAnswer: Record<string, ErrorKey | 'faces'> = {
  ...detectAnswer,
  no_face: 'NO_FACE_DETECTED',
  face_too_small: 'NO_FACE_DETECTED',
  multiple_faces: 'MULTIPLE_FACES',
};

let pool: ExtractionPool;

before(async () => {
  pool = await ExtractionPool.start({ workers: 2, backend: 'auto' });
});

after(async () => {
  await pool.close();
});

/** `file` is relative to the faces folder; read afresh for every call, as the pool takes ownership of the image. */
function request(
  file: string,
  purpose: ExtractRequest['purpose'],
  extra: Partial<ExtractRequest> = {},
): ExtractRequest {
  return {
    image: readFileSync(path.join(facesDir, file)),
    detectionModel: 'detection_01',
    recognitionModel: 'recognition_01',
    purpose,
    ...extra,
  };
}

/** The reply, or the catalogue key it was refused with (anything else fails the test). */
async function outcome(req: ExtractRequest): Promise<ExtractReply | ErrorKey> {
  try {
    return await pool.extract(req);
  } catch (error) {
    assert.ok(error instanceof VisageError, `not a catalogue error: ${String(error)}`);
    return error.key;
  }
}

function faceCount(result: ExtractReply | ErrorKey): number | ErrorKey {
  return typeof result === 'string' ? result : result.faces.length;
}

test('pool reports its backend, workers and models', () => {
  const status = pool.status();
  assert.equal(status.workers, 2);
  assert.match(status.backend, /^(tensorflow|wasm-simd|wasm|cpu)$/);
  assert.ok(status.models.includes('detection_01') && status.models.includes('recognition_04'));
});

for (const purpose of ['detect', 'enrol'] as const) {
  test(`every edge-case file gets its expected ${purpose} answer`, async (t) => {
    const answers = purpose === 'detect' ? detectAnswer : enrolAnswer;
    const results = await Promise.all(edgeCases.map((edge) => outcome(request(`edge/${edge.file}`, purpose))));
    for (const [index, edge] of edgeCases.entries()) {
      await t.test(edge.file, () => {
        const answer = answers[edge.expect];
        assert.ok(answer, `no expected answer for "${edge.expect}"`);
        const expected = answer !== 'faces' ? answer : purpose === 'detect' ? edge.faces : 1;
        assert.equal(faceCount(results[index]), expected);
      });
    }
  });
}

test('replies carry integer rectangles inside the upright picture and unit-length embeddings', async () => {
  const reply = await pool.extract(request('edge/single_face_exif_rotated.jpg', 'detect', { returnLandmarks: true }));
  assert.deepEqual(reply.image, { width: 330, height: 440, format: 'jpeg' });
  const [face] = reply.faces;
  const { left, top, width, height } = face.rectangle;
  assert.ok([left, top, width, height].every(Number.isInteger));
  assert.ok(Math.abs(left - 108) <= 4 && Math.abs(top - 136) <= 4 && Math.abs(width - 110) <= 6, 'near the hint');
  assert.equal(face.landmarks?.length, 68);
  assert.ok(face.embedding instanceof Float32Array);
  assert.equal(face.embedding.length, 128);
  assert.ok(Math.abs(Math.hypot(...face.embedding) - 1) < 1e-4);
  const withoutLandmarks = await pool.extract(
    request('edge/single_face.jpg', 'detect', { detectionModel: 'detection_02', returnLandmarks: true }),
  );
  assert.equal(withoutLandmarks.faces[0].landmarks, undefined);
});

test('targetFace picks one face of a group photo, and refuses rectangles with none or several', async () => {
  const group = await pool.extract(request('edge/multiple_faces_4.jpg', 'detect'));
  assert.equal(group.faces.length, 4);
  const rectangles = group.faces.map((face) => face.rectangle);
  const picked = await Promise.all(
    rectangles.map((targetFace) => pool.extract(request('edge/multiple_faces_4.jpg', 'enrol', { targetFace }))),
  );
  assert.deepEqual(
    picked.map((reply) => reply.faces.map((face) => face.rectangle)),
    rectangles.map((rectangle) => [rectangle]),
  );
  const [first, second] = [...rectangles].sort((a, b) => a.left - b.left);
  const bothFaces = boundingRectangle(first, second);
  const emptySky: FaceRectangle = { left: 0, top: 0, width: 60, height: 60 };
  const outside: FaceRectangle = { left: 700, top: 0, width: 200, height: 100 };
  const refusals = await Promise.all(
    [bothFaces, emptySky, outside].map((targetFace) =>
      outcome(request('edge/multiple_faces_4.jpg', 'enrol', { targetFace })),
    ),
  );
  assert.deepEqual(refusals, ['TARGET_FACE_MULTIPLE_FACES', 'TARGET_FACE_NO_FACE', 'TARGET_FACE_OUT_OF_RANGE']);
});

test('embeddings of the same person are closer than those of different people', async () => {
  const people = ['colin_powell', 'nicole_kidman', 'hugo_chavez', 'bbt_penny'];
  const photos = people.flatMap((person) => [`${person}_01.jpg`, `${person}_02.jpg`]);
  const replies = await Promise.all(photos.map((photo) => pool.extract(request(photo, 'enrol'))));
  const embeddings = replies.map((reply) => reply.faces[0].embedding);
  const same: number[] = [];
  const different: number[] = [];
  for (let a = 0; a < photos.length; a++) {
    for (let b = a + 1; b < photos.length; b++) {
      const distance = Math.hypot(...embeddings[a].map((value, i) => value - embeddings[b][i]));
      (Math.floor(a / 2) === Math.floor(b / 2) ? same : different).push(distance);
    }
  }
  assert.ok(Math.max(...same) < Math.min(...different), `same ${same} vs different ${different}`);
});

test('a crashed worker fails its job with INTERNAL_ERROR and is replaced', async () => {
  const running = outcome(request('edge/single_face.jpg', 'detect'));
  const busy = [...pool['slots']].find((slot) => slot.busyWith);
  assert.ok(busy, 'a worker has the job');
  await busy.worker.terminate();
  assert.equal(await running, 'INTERNAL_ERROR');
  const replies = await Promise.all([1, 2, 3].map(() => pool.extract(request('edge/single_face.jpg', 'detect'))));
  assert.deepEqual(
    replies.map((reply) => reply.faces.length),
    [1, 1, 1],
  );
  for (let waited = 0; pool.status().workers < 2 && waited < 20_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(pool.status().workers, 2);
});

function boundingRectangle(a: FaceRectangle, b: FaceRectangle): FaceRectangle {
  const left = Math.min(a.left, b.left);
  const top = Math.min(a.top, b.top);
  const right = Math.max(a.left + a.width, b.left + b.width);
  const bottom = Math.max(a.top + a.height, b.top + b.height);
  return { left, top, width: right - left, height: bottom - top };
}
