/**
 * Schemas of what the gateway answers: the shapes the presenters of each dialect build (envelope.presenter.ts,
 * azure.presenter.ts). Error answers are built per operation from the catalogue (openapi-document.ts).
 */
import { DetectionModels, RecognitionModels, uuidPattern } from '#contracts';
import { AzureLandmarkNames } from '../detect/face-landmarks';
import type { Schema } from './dto-schema';

export const ref = (name: ReplySchemaName): Schema => ({ $ref: `#/components/schemas/${name}` });
export const listOf = (items: Schema): Schema => ({ type: 'array', items });

function object(properties: Record<string, Schema>, optional: string[] = []): Schema {
  const required = Object.keys(properties).filter((name) => !optional.includes(name));
  return { type: 'object', properties, required };
}

const string: Schema = { type: 'string' };
const nullableString: Schema = { type: ['string', 'null'] };
const dateTime: Schema = { type: 'string', format: 'date-time' };
const nullableDateTime: Schema = { type: ['string', 'null'], format: 'date-time' };
const uuid: Schema = { type: 'string', format: 'uuid', pattern: uuidPattern.source };
const integer: Schema = { type: 'integer' };
const confidence: Schema = { type: 'number', minimum: 0, maximum: 1 };
const recognitionModel: Schema = { type: 'string', enum: [...RecognitionModels] };
const detectionModel: Schema = { type: 'string', enum: [...DetectionModels] };
const trainingState: Schema = { type: 'string', enum: ['notStarted', 'running', 'succeeded', 'failed'] };
const quality: Schema = { type: 'string', enum: ['low', 'medium', 'high'] };
const point = object({ x: { type: 'number' }, y: { type: 'number' } });
const landmarks = object(Object.fromEntries(AzureLandmarkNames.map((name) => [name, point])));
const faceRectangle = object({ left: integer, top: integer, width: integer, height: integer });
const unitValue: Schema = { type: 'number', minimum: 0, maximum: 1 };
const degrees: Schema = { type: 'number', minimum: -180, maximum: 180 };
const headPose = object({ pitch: degrees, roll: degrees, yaw: degrees });
const levels = {
  blur: { type: 'string', enum: ['low', 'medium', 'high'] },
  exposure: { type: 'string', enum: ['underExposure', 'goodExposure', 'overExposure'] },
  noise: { type: 'string', enum: ['low', 'medium', 'high'] },
} satisfies Record<string, Schema>;
/** Each present only when asked for in returnFaceAttributes. */
const azureFaceAttributes = object(
  {
    headPose,
    blur: object({ blurLevel: levels.blur, value: unitValue }),
    exposure: object({ exposureLevel: levels.exposure, value: unitValue }),
    noise: object({ noiseLevel: levels.noise, value: unitValue }),
    qualityForRecognition: quality,
  },
  ['headPose', 'blur', 'exposure', 'noise', 'qualityForRecognition'],
);
const faceAttributes = object(
  {
    head_pose: headPose,
    blur: object({ blur_level: levels.blur, value: unitValue }),
    exposure: object({ exposure_level: levels.exposure, value: unitValue }),
    noise: object({ noise_level: levels.noise, value: unitValue }),
    quality_for_recognition: quality,
  },
  ['head_pose', 'blur', 'exposure', 'noise', 'quality_for_recognition'],
);

const azureDetectedFace = {
  faceId: uuid,
  recognitionModel,
  faceRectangle,
  faceLandmarks: landmarks,
};
const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const group = {
  id: string,
  name: string,
  user_data: nullableString,
  recognition_model: recognitionModel,
  created_at: dateTime,
  updated_at: dateTime,
};
const listFace = {
  id: uuid,
  user_data: nullableString,
  face_rectangle: faceRectangle,
  detection_model: detectionModel,
  recognition_model: recognitionModel,
  created_at: dateTime,
};
const azureFace = object({ persistedFaceId: uuid, userData: string }, ['userData']);
const azureCollection = (idField: string, more: Record<string, Schema> = {}) =>
  object({ [idField]: string, name: string, userData: string, recognitionModel, ...more }, [
    'userData',
    'recognitionModel',
    ...Object.keys(more),
  ]);

export const replySchemas = {
  Group: object(group),
  FaceList: object({ ...group, persisted_faces: listOf(object(listFace)) }),
  Person: object({
    id: uuid,
    name: string,
    user_data: nullableString,
    persisted_face_ids: listOf(uuid),
    created_at: dateTime,
    updated_at: dateTime,
  }),
  AddedFace: object({
    id: uuid,
    created_at: dateTime,
    face_rectangle: faceRectangle,
    detection_model: detectionModel,
    recognition_model: recognitionModel,
  }),
  Face: object({ ...listFace, person_id: uuid }),
  ListFace: object(listFace),
  Deleted: object({ id: string, deleted: { type: 'boolean', const: true } }),
  TrainingStatus: object({
    status: trainingState,
    created_at: dateTime,
    last_action_at: nullableDateTime,
    last_successful_training_at: nullableDateTime,
    message: nullableString,
  }),
  DetectedFace: object(
    {
      face_id: uuid,
      recognition_model: recognitionModel,
      face_rectangle: faceRectangle,
      face_landmarks: object(Object.fromEntries(AzureLandmarkNames.map((name) => [snakeCase(name), point]))),
      face_attributes: faceAttributes,
    },
    ['face_id', 'recognition_model', 'face_landmarks', 'face_attributes'],
  ),
  IdentifyResult: object({
    face_id: uuid,
    candidates: listOf(object({ person_id: uuid, confidence })),
  }),
  VerifyResult: object({ is_identical: { type: 'boolean' }, confidence }),
  // face_id for a faceIds target, persisted_face_id for a face list.
  SimilarFace: object({ face_id: uuid, persisted_face_id: uuid, confidence }, ['face_id', 'persisted_face_id']),
  FaceGrouping: object({ groups: listOf(listOf(uuid)), messy_group: listOf(uuid) }),
  AzureGroup: azureCollection('largePersonGroupId'),
  AzurePersonGroup: azureCollection('personGroupId'),
  AzureLargeFaceList: azureCollection('largeFaceListId'),
  // Its faces come with it when one face list is asked for, not in the list of face lists.
  AzureFaceList: azureCollection('faceListId', { persistedFaces: listOf(azureFace) }),
  AzureCreatedPerson: object({ personId: uuid }),
  AzurePerson: object({ personId: uuid, name: string, userData: string, persistedFaceIds: listOf(uuid) }, ['userData']),
  AzureAddedFace: object({ persistedFaceId: uuid }),
  AzureFace: azureFace,
  AzureTrainingStatus: object({
    status: trainingState,
    createdDateTime: dateTime,
    lastActionDateTime: nullableDateTime,
    lastSuccessfulTrainingDateTime: nullableDateTime,
    message: nullableString,
  }),
  AzureIdentifyResult: object({
    faceId: uuid,
    candidates: listOf(object({ personId: uuid, confidence })),
  }),
  AzureVerifyResult: object({ isIdentical: { type: 'boolean' }, confidence }),
  AzureSimilarFace: object({ faceId: uuid, persistedFaceId: uuid, confidence }, ['faceId', 'persistedFaceId']),
  AzureFaceGrouping: object({ groups: listOf(listOf(uuid)), messyGroup: listOf(uuid) }),
  AzureDetectedFace: object({ ...azureDetectedFace, faceAttributes: azureFaceAttributes }, [
    'faceId',
    'recognitionModel',
    'faceLandmarks',
    'faceAttributes',
  ]),
  Health: object({ status: { type: 'string', const: 'ok' } }),
  Readiness: object(
    {
      status: { type: 'string', enum: ['ready', 'not ready'] },
      broker: { type: 'string', enum: ['up', 'down'] },
      detector: { type: 'object', description: 'TensorFlow backend and workers, or the error' },
      store: { type: 'object', description: 'shard queues handled recently, or the error' },
    },
    // Only callers with a valid API key see what each part answered.
    ['broker', 'detector', 'store'],
  ),
} satisfies Record<string, Schema>;

export type ReplySchemaName = keyof typeof replySchemas;
