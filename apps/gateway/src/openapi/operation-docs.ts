/**
 * What route metadata cannot tell about each operation: its summary, the schema of its answer (inside `data`
 * in the envelope dialect; none for an empty body) and whether it takes an image. Typed per controller, so a
 * new route does not compile until it is described here.
 */
import type { Type } from '@nestjs/common';
import type { ErrorKey } from '#contracts';
import { AzureFacesController } from '../azure/azure-faces.controller';
import { AzureGroupsController } from '../azure/azure-groups.controller';
import { AzurePersonsController } from '../azure/azure-persons.controller';
import { AzureRecognitionController } from '../azure/azure-recognition.controller';
import { EnvelopeFacesController } from '../envelope/envelope-faces.controller';
import { EnvelopeGroupsController } from '../envelope/envelope-groups.controller';
import { EnvelopePersonsController } from '../envelope/envelope-persons.controller';
import { EnvelopeRecognitionController } from '../envelope/envelope-recognition.controller';
import { HealthController } from '../health/health.controller';
import type { Schema } from './dto-schema';
import { listOf, ref } from './reply-schemas';

export interface OperationDoc {
  summary: string;
  reply?: Schema;
  /** The body is an image: raw bytes, or JSON {"url"} (common/image-input.ts). */
  image?: true;
  /** Response headers of the success answer, by name. */
  headers?: Record<string, string>;
  /** Statuses answered besides the success one, with the same body. */
  alsoAnswers?: Record<string, string>;
  /** Every catalogue error the operation may answer; the document lists them by status, in both dialects. */
  errors?: readonly ErrorKey[];
}

/** How answers are shaped: wrapped in {"success", "data"}, Azure's bodies, or the bare health probes. */
export type Dialect = 'envelope' | 'azure' | 'health';

export interface ControllerDocs {
  dialect: Dialect;
  operations: Record<string, OperationDoc>;
}

function described<T>(
  controller: Type<T>,
  dialect: Dialect,
  operations: { [Method in keyof T]: OperationDoc },
): [Type, ControllerDocs] {
  return [controller, { dialect, operations }];
}

/** Any authenticated call: the key, the rate limit, the input rules, the services behind the gateway. */
const anyCall: ErrorKey[] = [
  'UNAUTHORIZED',
  'RATE_LIMITED',
  'VALIDATION_ERROR',
  'SERVICE_UNAVAILABLE',
  'TIMEOUT',
  'INTERNAL_ERROR',
];
const jsonBody: ErrorKey[] = ['UNSUPPORTED_MEDIA_TYPE', 'INVALID_JSON', 'BODY_TOO_LARGE'];
const write: ErrorKey[] = ['IDEMPOTENCY_KEY_REUSED', 'WRITE_FAILED'];
const image: ErrorKey[] = [
  'UNSUPPORTED_MEDIA_TYPE',
  'INVALID_JSON',
  'BODY_TOO_LARGE',
  'INVALID_URL',
  'INVALID_IMAGE',
  'IMAGE_TOO_SMALL',
  'IMAGE_TOO_LARGE',
  'IMAGE_TOO_MANY_PIXELS',
  'DETECTOR_BUSY',
];
const inGroup: ErrorKey[] = ['GROUP_NOT_FOUND'];
const ofPerson: ErrorKey[] = ['GROUP_NOT_FOUND', 'PERSON_NOT_FOUND'];
const ofFace: ErrorKey[] = [...ofPerson, 'PERSISTED_FACE_NOT_FOUND'];
const faceIdChecks: ErrorKey[] = ['RECOGNITION_MODEL_MISMATCH'];

/** The errors of each operation, the same in both dialects (they share the use cases). */
const errorsOf = {
  createGroup: [...anyCall, ...jsonBody, ...write, 'INVALID_GROUP_ID', 'GROUP_EXISTS'],
  listGroups: anyCall,
  getGroup: [...anyCall, ...inGroup],
  updateGroup: [...anyCall, ...jsonBody, ...write, ...inGroup],
  deleteGroup: [...anyCall, ...write, ...inGroup],
  createPerson: [...anyCall, ...jsonBody, ...write, ...inGroup],
  listPersons: [...anyCall, ...inGroup],
  getPerson: [...anyCall, ...ofPerson],
  updatePerson: [...anyCall, ...jsonBody, ...write, ...ofPerson],
  deletePerson: [...anyCall, ...write, ...ofPerson],
  addFace: [
    ...anyCall,
    ...image,
    ...write,
    ...ofPerson,
    'NO_FACE_DETECTED',
    'MULTIPLE_FACES',
    'FACE_QUALITY_TOO_LOW',
    'TARGET_FACE_NO_FACE',
    'TARGET_FACE_MULTIPLE_FACES',
    'TARGET_FACE_OUT_OF_RANGE',
    'FACE_LIMIT_REACHED',
  ],
  getFace: [...anyCall, ...ofFace],
  updateFace: [...anyCall, ...jsonBody, ...write, ...ofFace],
  deleteFace: [...anyCall, ...write, ...ofFace],
  train: [...anyCall, ...write, ...inGroup, 'TRAINING_IN_PROGRESS'],
  trainingStatus: [...anyCall, ...inGroup, 'TRAINING_NOT_FOUND'],
  detect: [...anyCall, ...image, 'FACE_ID_QUOTA_REACHED'],
  identify: [
    ...anyCall,
    ...jsonBody,
    ...inGroup,
    ...faceIdChecks,
    'FACE_ID_NOT_FOUND',
    'GROUP_NOT_TRAINED',
    'TRAINING_IN_PROGRESS',
  ],
  verify: [
    ...anyCall,
    ...jsonBody,
    ...ofPerson,
    ...faceIdChecks,
    'VERIFY_FACE_ID_NOT_FOUND',
    // A person without faces has nothing to verify against.
    'PERSISTED_FACE_NOT_FOUND',
  ],
  findSimilar: [
    ...anyCall,
    ...jsonBody,
    ...faceIdChecks,
    'FACE_ID_NOT_FOUND',
    'FACE_LIST_NOT_FOUND',
    'LARGE_FACE_LIST_NOT_FOUND',
  ],
  group: [...anyCall, ...jsonBody, ...faceIdChecks, 'FACE_ID_NOT_FOUND'],
} satisfies Record<string, ErrorKey[]>;

const operationLocation = { 'operation-Location': 'absolute URL of the training status' };

const summaries = {
  createGroup: 'Create a large person group',
  listGroups: 'List large person groups',
  getGroup: 'Get a large person group',
  updateGroup: 'Update a large person group',
  deleteGroup: 'Delete a large person group with its persons and faces',
  createPerson: 'Create a person',
  listPersons: 'List the persons of a group',
  getPerson: 'Get a person',
  updatePerson: 'Update a person',
  deletePerson: 'Delete a person with its faces',
  addFace: 'Add a face to a person',
  getFace: 'Get a persisted face',
  updateFace: "Update a persisted face's userData",
  deleteFace: 'Delete a persisted face',
  train: 'Start training a group',
  trainingStatus: 'Get the training status of a group',
  detect: 'Detect faces',
  identify: 'Identify faces against a trained group',
  verify: 'Verify two faces, or a face against a person',
  findSimilar: 'Find the faces most similar to a face',
  group: 'Divide faces into groups of one person each',
};

export const operationDocs = new Map<Type, ControllerDocs>([
  described(HealthController, 'health', {
    health: { summary: 'Liveness: the gateway process answers', reply: ref('Health') },
    ready: {
      summary:
        'Readiness: the broker is connected and a detector and a store answer; what each answered only with a key',
      reply: ref('Readiness'),
      alsoAnswers: { '503': 'not ready' },
    },
  }),
  described(EnvelopeGroupsController, 'envelope', {
    create: { summary: summaries.createGroup, errors: errorsOf.createGroup, reply: ref('Group') },
    list: { summary: summaries.listGroups, errors: errorsOf.listGroups, reply: listOf(ref('Group')) },
    get: { summary: summaries.getGroup, errors: errorsOf.getGroup, reply: ref('Group') },
    update: { summary: summaries.updateGroup, errors: errorsOf.updateGroup, reply: ref('Group') },
    delete: { summary: summaries.deleteGroup, errors: errorsOf.deleteGroup, reply: ref('Deleted') },
  }),
  described(EnvelopePersonsController, 'envelope', {
    create: { summary: summaries.createPerson, errors: errorsOf.createPerson, reply: ref('Person') },
    list: { summary: summaries.listPersons, errors: errorsOf.listPersons, reply: listOf(ref('Person')) },
    get: { summary: summaries.getPerson, errors: errorsOf.getPerson, reply: ref('Person') },
    update: { summary: summaries.updatePerson, errors: errorsOf.updatePerson, reply: ref('Person') },
    delete: { summary: summaries.deletePerson, errors: errorsOf.deletePerson, reply: ref('Deleted') },
  }),
  described(EnvelopeFacesController, 'envelope', {
    add: { summary: summaries.addFace, errors: errorsOf.addFace, reply: ref('AddedFace'), image: true },
    get: { summary: summaries.getFace, errors: errorsOf.getFace, reply: ref('Face') },
    update: { summary: summaries.updateFace, errors: errorsOf.updateFace, reply: ref('Face') },
    delete: { summary: summaries.deleteFace, errors: errorsOf.deleteFace, reply: ref('Deleted') },
  }),
  described(EnvelopeRecognitionController, 'envelope', {
    train: {
      summary: summaries.train,
      errors: errorsOf.train,
      reply: ref('TrainingStatus'),
      headers: operationLocation,
    },
    trainingStatus: {
      summary: summaries.trainingStatus,
      errors: errorsOf.trainingStatus,
      reply: ref('TrainingStatus'),
    },
    detect: { summary: summaries.detect, errors: errorsOf.detect, reply: listOf(ref('DetectedFace')), image: true },
    identify: { summary: summaries.identify, errors: errorsOf.identify, reply: listOf(ref('IdentifyResult')) },
    verify: { summary: summaries.verify, errors: errorsOf.verify, reply: ref('VerifyResult') },
    findSimilar: { summary: summaries.findSimilar, errors: errorsOf.findSimilar, reply: listOf(ref('SimilarFace')) },
    group: { summary: summaries.group, errors: errorsOf.group, reply: ref('FaceGrouping') },
  }),
  described(AzureGroupsController, 'azure', {
    create: { summary: summaries.createGroup, errors: errorsOf.createGroup },
    list: { summary: summaries.listGroups, errors: errorsOf.listGroups, reply: listOf(ref('AzureGroup')) },
    get: { summary: summaries.getGroup, errors: errorsOf.getGroup, reply: ref('AzureGroup') },
    update: { summary: summaries.updateGroup, errors: errorsOf.updateGroup },
    delete: { summary: summaries.deleteGroup, errors: errorsOf.deleteGroup },
  }),
  described(AzurePersonsController, 'azure', {
    create: { summary: summaries.createPerson, errors: errorsOf.createPerson, reply: ref('AzureCreatedPerson') },
    list: { summary: summaries.listPersons, errors: errorsOf.listPersons, reply: listOf(ref('AzurePerson')) },
    get: { summary: summaries.getPerson, errors: errorsOf.getPerson, reply: ref('AzurePerson') },
    update: { summary: summaries.updatePerson, errors: errorsOf.updatePerson },
    delete: { summary: summaries.deletePerson, errors: errorsOf.deletePerson },
  }),
  described(AzureFacesController, 'azure', {
    add: { summary: summaries.addFace, errors: errorsOf.addFace, reply: ref('AzureAddedFace'), image: true },
    get: { summary: summaries.getFace, errors: errorsOf.getFace, reply: ref('AzureFace') },
    update: { summary: summaries.updateFace, errors: errorsOf.updateFace },
    delete: { summary: summaries.deleteFace, errors: errorsOf.deleteFace },
  }),
  described(AzureRecognitionController, 'azure', {
    train: { summary: summaries.train, errors: errorsOf.train, headers: operationLocation },
    trainingStatus: {
      summary: summaries.trainingStatus,
      errors: errorsOf.trainingStatus,
      reply: ref('AzureTrainingStatus'),
    },
    detect: {
      summary: summaries.detect,
      errors: errorsOf.detect,
      reply: listOf(ref('AzureDetectedFace')),
      image: true,
    },
    identify: { summary: summaries.identify, errors: errorsOf.identify, reply: listOf(ref('AzureIdentifyResult')) },
    verify: { summary: summaries.verify, errors: errorsOf.verify, reply: ref('AzureVerifyResult') },
    findSimilar: {
      summary: summaries.findSimilar,
      errors: errorsOf.findSimilar,
      reply: listOf(ref('AzureSimilarFace')),
    },
    group: { summary: summaries.group, errors: errorsOf.group, reply: ref('AzureFaceGrouping') },
  }),
]);
