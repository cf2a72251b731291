/**
 * What route metadata cannot tell about each operation: its summary, the schema of its answer (inside `data`
 * in the envelope dialect; none for an empty body) and whether it takes an image. Typed per controller, so a
 * new route does not compile until it is described here.
 */
import type { Type } from '@nestjs/common';
import { CollectionKinds, Collections, type CollectionKind, type ErrorKey } from '#contracts';
import { collectionControllers } from '../api-controllers';
import { AzureRecognitionController } from '../azure/azure-recognition.controller';
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
const faceIdChecks: ErrorKey[] = ['RECOGNITION_MODEL_MISMATCH'];
const addFaceChecks: ErrorKey[] = [
  'NO_FACE_DETECTED',
  'MULTIPLE_FACES',
  'FACE_QUALITY_TOO_LOW',
  'TARGET_FACE_NO_FACE',
  'TARGET_FACE_MULTIPLE_FACES',
  'TARGET_FACE_OUT_OF_RANGE',
];

/** The errors of each operation on a kind of collection, the same in both dialects (they share the use cases). */
function collectionErrors(kind: CollectionKind) {
  const { errors, maxPersons } = Collections[kind];
  const training = Collections[kind].training;
  const inGroup: ErrorKey[] = [errors.notFound];
  const ofPerson: ErrorKey[] = [...inGroup, 'PERSON_NOT_FOUND'];
  const ofFace: ErrorKey[] = [...ofPerson, 'PERSISTED_FACE_NOT_FOUND'];
  const ofListFace: ErrorKey[] = [...inGroup, 'PERSISTED_FACE_NOT_FOUND'];
  return {
    createGroup: [...anyCall, ...jsonBody, ...write, 'INVALID_GROUP_ID', errors.exists],
    listGroups: anyCall,
    getGroup: [...anyCall, ...inGroup],
    updateGroup: [...anyCall, ...jsonBody, ...write, ...inGroup],
    deleteGroup: [...anyCall, ...write, ...inGroup],
    createPerson: [
      ...anyCall,
      ...jsonBody,
      ...write,
      ...inGroup,
      ...(maxPersons === undefined ? [] : ['PERSON_LIMIT_REACHED' as const]),
    ],
    listPersons: [...anyCall, ...inGroup],
    getPerson: [...anyCall, ...ofPerson],
    updatePerson: [...anyCall, ...jsonBody, ...write, ...ofPerson],
    deletePerson: [...anyCall, ...write, ...ofPerson],
    addFace: [...anyCall, ...image, ...write, ...ofPerson, ...addFaceChecks, 'FACE_LIMIT_REACHED'],
    getFace: [...anyCall, ...ofFace],
    updateFace: [...anyCall, ...jsonBody, ...write, ...ofFace],
    deleteFace: [...anyCall, ...write, ...ofFace],
    addListFace: [...anyCall, ...image, ...write, ...inGroup, ...addFaceChecks, 'LIST_FACE_LIMIT_REACHED'],
    listListFaces: [...anyCall, ...inGroup],
    getListFace: [...anyCall, ...ofListFace],
    updateListFace: [...anyCall, ...jsonBody, ...write, ...ofListFace],
    deleteListFace: [...anyCall, ...write, ...ofListFace],
    train: [...anyCall, ...write, ...inGroup, ...(training ? [training.inProgress] : [])],
    trainingStatus: [...anyCall, ...inGroup, ...(training ? [training.neverTrained] : [])],
  } satisfies Record<string, ErrorKey[]>;
}

/** Identify and verify name a person group of either kind. */
const personGroupKinds = CollectionKinds.filter((kind) => Collections[kind].holds === 'persons');
const ofAnyKind = (pick: (rules: (typeof Collections)[CollectionKind]) => ErrorKey | undefined): ErrorKey[] =>
  personGroupKinds.flatMap((kind) => pick(Collections[kind]) ?? []);

const groupNaming: ErrorKey[] = ['GROUP_IDS_BOTH_GIVEN', 'GROUP_IDS_BOTH_MISSING'];

const errorsOf = {
  detect: [
    ...anyCall,
    ...image,
    'FACE_ID_QUOTA_REACHED',
    'INVALID_FACE_ATTRIBUTE',
    'FACE_ATTRIBUTE_NOT_AVAILABLE',
    'FACE_ATTRIBUTE_NOT_SUPPORTED_BY_MODEL',
  ],
  identify: [
    ...anyCall,
    ...jsonBody,
    ...ofAnyKind((rules) => rules.errors.notFound),
    ...groupNaming,
    ...faceIdChecks,
    'FACE_ID_NOT_FOUND',
    ...ofAnyKind((rules) => rules.training?.notTrained),
    ...ofAnyKind((rules) => rules.training?.inProgress),
  ],
  verify: [
    ...anyCall,
    ...jsonBody,
    ...ofAnyKind((rules) => rules.errors.notFound),
    ...groupNaming,
    'PERSON_NOT_FOUND',
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
    'FACE_LIST_EMPTY',
    'LARGE_FACE_LIST_NOT_FOUND',
    'LARGE_FACE_LIST_NOT_TRAINED',
    'LARGE_FACE_LIST_TRAINING_IN_PROGRESS',
  ],
  group: [...anyCall, ...jsonBody, ...faceIdChecks, 'FACE_ID_NOT_FOUND'],
} satisfies Record<string, ErrorKey[]>;

const operationLocation = { 'operation-Location': 'absolute URL of the training status' };

function collectionSummaries(kind: CollectionKind) {
  const name = Collections[kind].title.toLowerCase();
  const holds = Collections[kind].holds;
  return {
    createGroup: `Create a ${name}`,
    listGroups: `List ${name}s`,
    getGroup: kind === 'faceList' ? `Get a ${name} with its faces` : `Get a ${name}`,
    updateGroup: `Update a ${name}`,
    deleteGroup: `Delete a ${name} with its ${holds === 'persons' ? 'persons and faces' : 'faces'}`,
    createPerson: `Create a person in a ${name}`,
    listPersons: `List the persons of a ${name}`,
    getPerson: `Get a person of a ${name}`,
    updatePerson: `Update a person of a ${name}`,
    deletePerson: `Delete a person of a ${name} with its faces`,
    addFace: `Add a face to a person of a ${name}`,
    getFace: `Get a persisted face of a person of a ${name}`,
    updateFace: `Update a persisted face's userData (${name})`,
    deleteFace: `Delete a persisted face (${name})`,
    addListFace: `Add a face to a ${name}`,
    listListFaces: `List the faces of a ${name}`,
    getListFace: `Get a face of a ${name}`,
    updateListFace: `Update a face's userData (${name})`,
    deleteListFace: `Delete a face of a ${name}`,
    train: `Start training a ${name}`,
    trainingStatus: `Get the training status of a ${name}`,
  };
}

const summaries = {
  detect: 'Detect faces',
  identify: 'Identify faces against a trained person group or large person group',
  verify: 'Verify two faces, or a face against a person',
  findSimilar: 'Find the faces most similar to a face',
  group: 'Divide faces into groups of one person each',
};

function docsOf(kind: CollectionKind) {
  const errors = collectionErrors(kind);
  const summary = collectionSummaries(kind);
  return (operation: keyof typeof errors, more: Omit<OperationDoc, 'summary' | 'errors'> = {}): OperationDoc => ({
    summary: summary[operation],
    errors: errors[operation],
    ...more,
  });
}

/** Azure names the id field after the kind (largePersonGroupId, faceListId, ...). */
const azureGroupSchema = {
  largePersonGroup: 'AzureGroup',
  personGroup: 'AzurePersonGroup',
  largeFaceList: 'AzureLargeFaceList',
  faceList: 'AzureFaceList',
} as const satisfies Record<CollectionKind, string>;

const { groups, training, persons, personFaces, listFaces } = collectionControllers;

const collectionDocs: [Type, ControllerDocs][] = [
  ...groups.flatMap(({ kind, envelope, azure }) => {
    const doc = docsOf(kind);
    const envelopeGroup = ref(kind === 'faceList' ? 'FaceList' : 'Group');
    return [
      described(envelope, 'envelope', {
        create: doc('createGroup', { reply: ref('Group') }),
        list: doc('listGroups', { reply: listOf(ref('Group')) }),
        get: doc('getGroup', { reply: envelopeGroup }),
        update: doc('updateGroup', { reply: ref('Group') }),
        delete: doc('deleteGroup', { reply: ref('Deleted') }),
      }),
      described(azure, 'azure', {
        create: doc('createGroup'),
        list: doc('listGroups', { reply: listOf(ref(azureGroupSchema[kind])) }),
        get: doc('getGroup', { reply: ref(azureGroupSchema[kind]) }),
        update: doc('updateGroup'),
        delete: doc('deleteGroup'),
      }),
    ];
  }),
  ...training.flatMap(({ kind, envelope, azure }) => {
    const doc = docsOf(kind);
    return [
      described(envelope, 'envelope', {
        train: doc('train', { reply: ref('TrainingStatus'), headers: operationLocation }),
        trainingStatus: doc('trainingStatus', { reply: ref('TrainingStatus') }),
      }),
      described(azure, 'azure', {
        train: doc('train', { headers: operationLocation }),
        trainingStatus: doc('trainingStatus', { reply: ref('AzureTrainingStatus') }),
      }),
    ];
  }),
  ...persons.flatMap(({ kind, envelope, azure }) => {
    const doc = docsOf(kind);
    return [
      described(envelope, 'envelope', {
        create: doc('createPerson', { reply: ref('Person') }),
        list: doc('listPersons', { reply: listOf(ref('Person')) }),
        get: doc('getPerson', { reply: ref('Person') }),
        update: doc('updatePerson', { reply: ref('Person') }),
        delete: doc('deletePerson', { reply: ref('Deleted') }),
      }),
      described(azure, 'azure', {
        create: doc('createPerson', { reply: ref('AzureCreatedPerson') }),
        list: doc('listPersons', { reply: listOf(ref('AzurePerson')) }),
        get: doc('getPerson', { reply: ref('AzurePerson') }),
        update: doc('updatePerson'),
        delete: doc('deletePerson'),
      }),
    ];
  }),
  ...personFaces.flatMap(({ kind, envelope, azure }) => {
    const doc = docsOf(kind);
    return [
      described(envelope, 'envelope', {
        add: doc('addFace', { reply: ref('AddedFace'), image: true }),
        get: doc('getFace', { reply: ref('Face') }),
        update: doc('updateFace', { reply: ref('Face') }),
        delete: doc('deleteFace', { reply: ref('Deleted') }),
      }),
      described(azure, 'azure', {
        add: doc('addFace', { reply: ref('AzureAddedFace'), image: true }),
        get: doc('getFace', { reply: ref('AzureFace') }),
        update: doc('updateFace'),
        delete: doc('deleteFace'),
      }),
    ];
  }),
  ...listFaces.flatMap(({ kind, envelope, azure }) => {
    const doc = docsOf(kind);
    return [
      described(envelope, 'envelope', {
        add: doc('addListFace', { reply: ref('AddedFace'), image: true }),
        list: doc('listListFaces', { reply: listOf(ref('ListFace')) }),
        get: doc('getListFace', { reply: ref('ListFace') }),
        update: doc('updateListFace', { reply: ref('ListFace') }),
        delete: doc('deleteListFace', { reply: ref('Deleted') }),
      }),
      described(azure, 'azure', {
        add: doc('addListFace', { reply: ref('AzureAddedFace'), image: true }),
        list: doc('listListFaces', { reply: listOf(ref('AzureFace')) }),
        get: doc('getListFace', { reply: ref('AzureFace') }),
        update: doc('updateListFace'),
        delete: doc('deleteListFace'),
      }),
    ];
  }),
];

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
  ...collectionDocs,
  described(EnvelopeRecognitionController, 'envelope', {
    detect: { summary: summaries.detect, errors: errorsOf.detect, reply: listOf(ref('DetectedFace')), image: true },
    identify: { summary: summaries.identify, errors: errorsOf.identify, reply: listOf(ref('IdentifyResult')) },
    verify: { summary: summaries.verify, errors: errorsOf.verify, reply: ref('VerifyResult') },
    findSimilar: { summary: summaries.findSimilar, errors: errorsOf.findSimilar, reply: listOf(ref('SimilarFace')) },
    group: { summary: summaries.group, errors: errorsOf.group, reply: ref('FaceGrouping') },
  }),
  described(AzureRecognitionController, 'azure', {
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
