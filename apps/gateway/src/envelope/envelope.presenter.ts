/**
 * The envelope dialect's shapes: {"success": true, "data"} and {"success": false, "error": {code, message}}.
 * Every field of an answer is snake_case; requests keep Azure's camelCase names.
 */
import type {
  AddFaceReply,
  FaceGrouping,
  GroupView,
  IdentifyResult,
  ListFaceView,
  PersistedFaceView,
  PersonView,
  SimilarFace,
  TrainingStatusView,
  VerifyResult,
  VisageError,
} from '#contracts';
import type { DetectedFaceView } from '../detect/detect.use-cases';
import type { FaceAttributesView } from '../detect/face-attributes';

export function ok<T>(data: T): { success: true; data: T } {
  return { success: true, data };
}

export function renderEnvelopeError(error: VisageError) {
  return { success: false, error: { code: error.entry.code, message: error.message } };
}

export function groupData(view: GroupView) {
  return {
    id: view.groupId,
    name: view.name,
    user_data: view.userData,
    recognition_model: view.recognitionModel,
    created_at: view.createdAt,
    updated_at: view.updatedAt,
    ...(view.persistedFaces ? { persisted_faces: view.persistedFaces.map(listFaceData) } : {}),
  };
}

export function personData(view: PersonView) {
  return {
    id: view.personId,
    name: view.name,
    user_data: view.userData,
    persisted_face_ids: view.persistedFaceIds,
    created_at: view.createdAt,
    updated_at: view.updatedAt,
  };
}

export function addedFaceData(reply: AddFaceReply) {
  return {
    id: reply.persistedFaceId,
    created_at: reply.createdAt,
    face_rectangle: reply.faceRectangle,
    detection_model: reply.detectionModel,
    recognition_model: reply.recognitionModel,
  };
}

export function faceData(view: PersistedFaceView) {
  const { id, ...rest } = listFaceData(view);
  return { id, person_id: view.personId, ...rest };
}

/** A face of a face list: a person's face without the person. */
export function listFaceData(view: ListFaceView) {
  return {
    id: view.persistedFaceId,
    user_data: view.userData,
    face_rectangle: view.faceRectangle,
    detection_model: view.detectionModel,
    recognition_model: view.recognitionModel,
    created_at: view.createdAt,
  };
}

export function deletedData(id: string) {
  return { id, deleted: true };
}

export function trainingData(view: TrainingStatusView) {
  return {
    status: view.status,
    created_at: view.createdDateTime,
    last_action_at: view.lastActionDateTime,
    last_successful_training_at: view.lastSuccessfulTrainingDateTime,
    message: view.message,
  };
}

/** Attributes come only when asked for, as in the Azure dialect; landmark names follow the snake_case rule. */
export function detectedFaceData(face: DetectedFaceView) {
  return {
    ...(face.faceId === undefined ? {} : { face_id: face.faceId }),
    ...(face.recognitionModel === undefined ? {} : { recognition_model: face.recognitionModel }),
    face_rectangle: face.faceRectangle,
    ...(face.faceLandmarks === undefined ? {} : { face_landmarks: snakeCaseKeys(face.faceLandmarks) }),
    ...(face.faceAttributes === undefined ? {} : { face_attributes: faceAttributesData(face.faceAttributes) }),
  };
}

/** Only the attributes asked for; level names keep Azure's values (`goodExposure`), field names go snake_case. */
function faceAttributesData({ headPose, blur, exposure, noise, qualityForRecognition }: FaceAttributesView) {
  return {
    ...(headPose === undefined ? {} : { head_pose: { pitch: headPose.pitch, roll: headPose.roll, yaw: headPose.yaw } }),
    ...(blur === undefined ? {} : { blur: { blur_level: blur.blurLevel, value: blur.value } }),
    ...(exposure === undefined ? {} : { exposure: { exposure_level: exposure.exposureLevel, value: exposure.value } }),
    ...(noise === undefined ? {} : { noise: { noise_level: noise.noiseLevel, value: noise.value } }),
    ...(qualityForRecognition === undefined ? {} : { quality_for_recognition: qualityForRecognition }),
  };
}

export function identifyData(result: IdentifyResult) {
  return {
    face_id: result.faceId,
    candidates: result.candidates.map((candidate) => ({
      person_id: candidate.personId,
      confidence: candidate.confidence,
    })),
  };
}

export function verifyData(result: VerifyResult) {
  return { is_identical: result.isIdentical, confidence: result.confidence };
}

export function similarFaceData(face: SimilarFace) {
  return 'faceId' in face
    ? { face_id: face.faceId, confidence: face.confidence }
    : { persisted_face_id: face.persistedFaceId, confidence: face.confidence };
}

export function faceGroupingData(grouping: FaceGrouping) {
  return { groups: grouping.groups, messy_group: grouping.messyGroup };
}

function snakeCaseKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(record).map(([name, value]) => [name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value]),
  );
}
