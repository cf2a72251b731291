/** The reply schemas name exactly the fields the presenters write, so the document cannot drift from them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AddFaceReply, GroupView, PersistedFaceView, PersonView, TrainingStatusView } from '#contracts';
import {
  azureAddedFace,
  azureCreatedPerson,
  azureFace,
  azureGroup,
  azurePerson,
  azureDetectedFace,
  azureTrainingStatus,
} from '../azure/azure.presenter';
import {
  addedFaceData,
  deletedData,
  detectedFaceData,
  faceData,
  groupData,
  identifyData,
  listFaceData,
  personData,
  trainingData,
  verifyData,
} from '../envelope/envelope.presenter';
import { AzureLandmarkNames } from '../detect/face-landmarks';
import { replySchemas, type ReplySchemaName } from './reply-schemas';
import type { AzureLandmarks } from '../detect/face-landmarks';
import type { DetectedFaceView } from '../detect/detect.use-cases';

const at = '2026-01-01T00:00:00.000Z';
const rectangle = { left: 1, top: 2, width: 3, height: 4 };
const group: GroupView = {
  groupId: 'g',
  name: 'n',
  userData: 'u',
  recognitionModel: 'recognition_01',
  createdAt: at,
  updatedAt: at,
};
const person: PersonView = {
  personId: 'p',
  name: 'n',
  userData: 'u',
  persistedFaceIds: [],
  createdAt: at,
  updatedAt: at,
};
const face: PersistedFaceView = {
  persistedFaceId: 'f',
  personId: 'p',
  userData: 'u',
  detectionModel: 'detection_01',
  recognitionModel: 'recognition_01',
  faceRectangle: rectangle,
  createdAt: at,
};
const added: AddFaceReply = {
  persistedFaceId: 'f',
  createdAt: at,
  faceRectangle: rectangle,
  detectionModel: 'detection_01',
  recognitionModel: 'recognition_01',
};
const training: TrainingStatusView = {
  status: 'succeeded',
  createdDateTime: at,
  lastActionDateTime: at,
  lastSuccessfulTrainingDateTime: at,
  message: null,
};

const detected: DetectedFaceView = {
  faceId: 'f',
  recognitionModel: 'recognition_01',
  faceRectangle: rectangle,
  faceLandmarks: Object.fromEntries(AzureLandmarkNames.map((name) => [name, { x: 1, y: 2 }])) as AzureLandmarks,
  faceAttributes: {
    headPose: { pitch: -2.1, roll: 4.5, yaw: 12.3 },
    blur: { blurLevel: 'low', value: 0.05 },
    exposure: { exposureLevel: 'goodExposure', value: 0.55 },
    noise: { noiseLevel: 'low', value: 0.1 },
    qualityForRecognition: 'high',
  },
};
const detectedWithoutAttributes: DetectedFaceView = { ...detected, faceAttributes: undefined };

function propertiesOf(name: ReplySchemaName): string[] {
  return Object.keys((replySchemas[name] as { properties: object }).properties).sort();
}

test('every field a presenter writes is in its schema, and nothing else', () => {
  const cases: [ReplySchemaName, object][] = [
    ['Group', groupData(group)],
    ['Person', personData(person)],
    ['AddedFace', addedFaceData(added)],
    ['Face', faceData(face)],
    ['ListFace', listFaceData(face)],
    ['FaceList', groupData({ ...group, persistedFaces: [face] })],
    ['Deleted', deletedData('g')],
    ['TrainingStatus', trainingData(training)],
    ['DetectedFace', detectedFaceData(detected)],
    ['IdentifyResult', identifyData({ faceId: 'f', candidates: [] })],
    ['VerifyResult', verifyData({ isIdentical: true, confidence: 0.9 })],
    ['AzureGroup', azureGroup(group, 'largePersonGroup', true)],
    ['AzurePersonGroup', azureGroup(group, 'personGroup', true)],
    ['AzureLargeFaceList', azureGroup(group, 'largeFaceList', true)],
    ['AzureFaceList', azureGroup({ ...group, persistedFaces: [face] }, 'faceList', true)],
    ['AzureCreatedPerson', azureCreatedPerson(person)],
    ['AzurePerson', azurePerson(person)],
    ['AzureAddedFace', azureAddedFace(added)],
    ['AzureFace', azureFace(face)],
    ['AzureTrainingStatus', azureTrainingStatus(training)],
    ['AzureDetectedFace', azureDetectedFace(detected)],
  ];
  for (const [name, shape] of cases) assert.deepEqual(Object.keys(shape).sort(), propertiesOf(name), name);
  const attributesOf = (name: ReplySchemaName, field: string) =>
    Object.keys(
      (replySchemas[name] as { properties: Record<string, { properties: object }> }).properties[field]!.properties,
    );
  assert.deepEqual(
    Object.keys(detectedFaceData(detected).face_attributes!),
    attributesOf('DetectedFace', 'face_attributes'),
  );
  assert.deepEqual(
    Object.keys(azureDetectedFace(detected).faceAttributes!),
    attributesOf('AzureDetectedFace', 'faceAttributes'),
  );
});

test('envelope answers name every field in snake_case, landmarks included', () => {
  const snake = /^[a-z0-9]+(_[a-z0-9]+)*$/;
  const envelope: ReplySchemaName[] = ['Group', 'Person', 'AddedFace', 'Face', 'Deleted', 'TrainingStatus'];
  for (const name of [...envelope, 'DetectedFace', 'IdentifyResult', 'VerifyResult'] as ReplySchemaName[]) {
    for (const field of propertiesOf(name)) assert.match(field, snake, `${name}.${field}`);
  }
  const face = detectedFaceData(detectedWithoutAttributes);
  assert.ok(!('face_attributes' in face), 'attributes only when asked');
  for (const landmark of Object.keys(face.face_landmarks!)) assert.match(landmark, snake);
  const attributes = detectedFaceData(detected).face_attributes!;
  assert.deepEqual(Object.keys(attributes), ['head_pose', 'blur', 'exposure', 'noise', 'quality_for_recognition']);
  assert.deepEqual(attributes.blur, { blur_level: 'low', value: 0.05 });
  assert.deepEqual(attributes.exposure, { exposure_level: 'goodExposure', value: 0.55 });
  assert.deepEqual(attributes.noise, { noise_level: 'low', value: 0.1 });
  const candidate = identifyData({ faceId: 'f', candidates: [{ personId: 'p', confidence: 0.7 }] }).candidates[0]!;
  assert.deepEqual(Object.keys(candidate), ['person_id', 'confidence']);
});
