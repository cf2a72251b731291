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
  azureTrainingStatus,
} from '../azure/azure.presenter';
import {
  addedFaceData,
  deletedData,
  faceData,
  groupData,
  personData,
  trainingData,
} from '../envelope/envelope.presenter';
import { replySchemas, type ReplySchemaName } from './reply-schemas';

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

function propertiesOf(name: ReplySchemaName): string[] {
  return Object.keys((replySchemas[name] as { properties: object }).properties).sort();
}

test('every field a presenter writes is in its schema, and nothing else', () => {
  const cases: [ReplySchemaName, object][] = [
    ['Group', groupData(group)],
    ['Person', personData(person)],
    ['AddedFace', addedFaceData(added)],
    ['Face', faceData(face)],
    ['Deleted', deletedData('g')],
    ['TrainingStatus', trainingData(training)],
    ['AzureGroup', azureGroup(group, true)],
    ['AzureCreatedPerson', azureCreatedPerson(person)],
    ['AzurePerson', azurePerson(person)],
    ['AzureAddedFace', azureAddedFace(added)],
    ['AzureFace', azureFace(face)],
    ['AzureTrainingStatus', azureTrainingStatus(training)],
  ];
  for (const [name, shape] of cases) assert.deepEqual(Object.keys(shape).sort(), propertiesOf(name), name);
});
