/**
 * Strangers stay strangers: with half of the development set's identities enrolled, identify at its default
 * threshold gives the photos of the other half no candidate and finds the enrolled persons, in the proportions
 * the open-set benchmark reports (docs/models.md); a caller's confidenceThreshold still overrides it. Enrolment
 * refuses low-quality faces in the envelope dialect only, and a one-face photo with stray boxes on its backdrop
 * enrols.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EnvelopeApi, face, manifest } from './support/api';
import { photoVariants } from './support/photo-variants';
import { Stack, waitFor } from './support/stack';

let stack: Stack;
let api: EnvelopeApi;

interface Candidate {
  person_id: string;
  confidence: number;
}

const identities = [...new Set(manifest().map((p) => p.identity))].sort();
// Every other identity is enrolled with all its photos but the first, which is its known probe.
const enrolled = identities.filter((_, i) => i % 2 === 0);
const strangers = identities.filter((_, i) => i % 2 === 1);
const photosOf = (identity: string) =>
  manifest()
    .filter((p) => p.identity === identity)
    .map((p) => p.file);
const personOf = new Map<string, string>();

/** Detect the one face of each photo, a few at a time: a burst of detects would queue past the deadline. */
async function detectAll(files: string[]): Promise<string[]> {
  const faceIds: string[] = [];
  for (let i = 0; i < files.length; i += 4) {
    const batch = files.slice(i, i + 4).map(async (file) => {
      const response = await api.call<{ face_id: string }[]>('POST', '/detect', face(file));
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.equal(response.body.data!.length, 1, file);
      return response.body.data![0]!.face_id;
    });
    faceIds.push(...(await Promise.all(batch)));
  }
  return faceIds;
}

/** Identify in requests of at most 10 faces; the candidates of each face, in order. */
async function identifyAll(faceIds: string[], extra: Record<string, unknown> = {}): Promise<Candidate[][]> {
  const results: Candidate[][] = [];
  for (let i = 0; i < faceIds.length; i += 10) {
    const response = await api.call<{ candidates: Candidate[] }[]>('POST', '/identify', {
      faceIds: faceIds.slice(i, i + 10),
      largePersonGroupId: 'open-set',
      maxNumOfCandidatesReturned: 1,
      ...extra,
    });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    results.push(...response.body.data!.map((result) => result.candidates));
  }
  return results;
}

before(async () => {
  stack = await Stack.start();
  api = new EnvelopeApi(stack.baseUrl);
  await api.createGroup('open-set');
  for (const identity of enrolled) {
    const personId = await api.createPerson('open-set', identity);
    personOf.set(identity, personId);
    await Promise.all(
      photosOf(identity)
        .slice(1)
        .map(async (file) => {
          const added = await api.addFace('open-set', personId, face(file));
          assert.equal(added.status, 200, `${file}: ${JSON.stringify(added.body)}`);
        }),
    );
  }
  const started = await api.call('POST', '/largepersongroups/open-set/train');
  assert.equal(started.status, 202, JSON.stringify(started.body));
  await waitFor(
    async () =>
      (await api.call<{ status: string }>('GET', '/largepersongroups/open-set/training')).body.data?.status ===
      'succeeded',
    60_000,
    'training of open-set',
  );
});

after(async () => stack?.stop());

describe('identify at the default threshold', () => {
  test('strangers get no candidate and enrolled persons are found; confidence 0.5 matches many strangers', async () => {
    const knownProbes = await detectAll(enrolled.map((identity) => photosOf(identity)[0]!));
    const strangerFiles = strangers.flatMap(photosOf);
    const strangerProbes = await detectAll(strangerFiles);

    const known = await identifyAll(knownProbes);
    const found = known.filter((candidates, i) => candidates[0]?.person_id === personOf.get(enrolled[i]!)).length;
    const strangersMatched = (await identifyAll(strangerProbes)).filter((candidates) => candidates.length > 0);
    // The benchmark reports about 1 % of strangers with a candidate and about 1 % of known persons missed over
    // its splits; this is one split, so the bounds leave room for a photo or two either way.
    assert.ok(found >= enrolled.length - 2, `found ${found} of ${enrolled.length} enrolled persons`);
    assert.ok(
      strangersMatched.length <= Math.ceil(strangerProbes.length * 0.03),
      `${strangersMatched.length} of ${strangerProbes.length} strangers got a candidate`,
    );

    // At verify's threshold, as identify used to default to, strangers are matched far more often.
    const atHalf = await identifyAll(strangerProbes, { confidenceThreshold: 0.5 });
    const matchedAtHalf = atHalf.filter((candidates) => candidates.length > 0).length;
    assert.ok(
      matchedAtHalf >= Math.max(5, strangersMatched.length * 3),
      `${matchedAtHalf} of ${strangerProbes.length} strangers got a candidate at confidence 0.5`,
    );
  });
});

describe('enrolment', () => {
  test('a low-quality face is refused in the envelope dialect and accepted in the Azure dialect', async () => {
    const personId = await api.createPerson('open-set', 'blurred');
    const blurred = await photoVariants.blurred(face('kate_hudson_02.jpg'));
    const refused = await api.addFace('open-set', personId, blurred, '?detectionModel=detection_02');
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.equal(refused.body.error?.code, 'FACE_QUALITY_TOO_LOW');
    assert.match(refused.body.error!.message, /low/);
    const person = await api.call<{ persisted_face_ids: string[] }>(
      'GET',
      `/largepersongroups/open-set/persons/${personId}`,
    );
    assert.deepEqual(person.body.data!.persisted_face_ids, []);

    const azure = await fetch(
      `${stack.baseUrl}/face/v1.2/largepersongroups/open-set/persons/${personId}/persistedfaces?detectionModel=detection_02`,
      { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: blurred },
    );
    assert.equal(azure.status, 200, await azure.clone().text());
    assert.ok(((await azure.json()) as { persistedFaceId?: string }).persistedFaceId);
  });

  test('a one-face photo with low-quality boxes on its backdrop enrols with detection_03', async () => {
    const personId = await api.createPerson('open-set', 'barack obama');
    const detected = await api.call<unknown[]>(
      'POST',
      '/detect?detectionModel=detection_03',
      face('barack_obama_01.jpg'),
    );
    assert.ok(detected.body.data!.length > 1, 'detect still reports every box');
    const added = await api.addFace('open-set', personId, face('barack_obama_01.jpg'), '?detectionModel=detection_03');
    assert.equal(added.status, 200, JSON.stringify(added.body));
  });
});
