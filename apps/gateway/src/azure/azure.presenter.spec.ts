/** The Azure shapes: exact field sets, userData omitted when unset, recognitionModel only on request. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VisageError, type GroupView, type PersistedFaceView, type PersonView } from '#contracts';
import {
  azureAddedFace,
  azureCreatedPerson,
  azureFace,
  azureGroup,
  azurePerson,
  renderAzureError,
} from './azure.presenter';

const at = '2026-11-27T10:00:00.000Z';
const personId = '3f0c1a2b-0000-4000-8000-000000000001';
const persistedFaceId = '8d2e1a2b-0000-4000-8000-000000000002';

const group: GroupView = {
  groupId: 'staff',
  name: 'Staff',
  userData: null,
  recognitionModel: 'recognition_04',
  createdAt: at,
  updatedAt: at,
};
const person: PersonView = {
  personId,
  name: 'Ada',
  userData: 'badge 7',
  persistedFaceIds: [persistedFaceId],
  createdAt: at,
  updatedAt: at,
};
const face: PersistedFaceView = {
  persistedFaceId,
  personId,
  userData: '',
  detectionModel: 'detection_01',
  recognitionModel: 'recognition_04',
  faceRectangle: { left: 1, top: 2, width: 40, height: 40 },
  createdAt: at,
};

test('a group carries its model only when asked, and no userData when it has none', () => {
  assert.deepEqual(azureGroup(group, 'largePersonGroup'), { largePersonGroupId: 'staff', name: 'Staff' });
  assert.deepEqual(azureGroup(group, 'personGroup'), { personGroupId: 'staff', name: 'Staff' });
  assert.deepEqual(azureGroup({ ...group, userData: 'x' }, 'largePersonGroup', true), {
    largePersonGroupId: 'staff',
    name: 'Staff',
    userData: 'x',
    recognitionModel: 'recognition_04',
  });
});

test('persons and faces have exactly the fields the clients type', () => {
  assert.deepEqual(azureCreatedPerson(person), { personId });
  assert.deepEqual(azurePerson(person), {
    personId,
    name: 'Ada',
    userData: 'badge 7',
    persistedFaceIds: [persistedFaceId],
  });
  assert.deepEqual(azurePerson({ ...person, userData: null, persistedFaceIds: [] }), {
    personId,
    name: 'Ada',
    persistedFaceIds: [],
  });
  assert.deepEqual(
    azureAddedFace({
      persistedFaceId,
      createdAt: at,
      faceRectangle: face.faceRectangle,
      detectionModel: 'detection_01',
      recognitionModel: 'recognition_04',
    }),
    { persistedFaceId },
  );
  // An empty string is a value the caller set, unlike null.
  assert.deepEqual(azureFace(face), { persistedFaceId, userData: '' });
  assert.deepEqual(azureFace({ ...face, userData: null }), { persistedFaceId });
});

test('errors render with the Azure code of their catalogue entry', () => {
  assert.deepEqual(renderAzureError(new VisageError('GROUP_NOT_FOUND')), {
    error: { code: 'LargePersonGroupNotFound', message: 'Large person group is not found.' },
  });
  assert.deepEqual(renderAzureError(new VisageError('INVALID_GROUP_ID', 'bad id')), {
    error: { code: 'BadArgument', message: 'bad id' },
  });
});
