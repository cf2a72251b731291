/** The envelope dialect's shapes: {"success": true, "data"} and {"success": false, "error": {code, message}}. */
import type {
  AddFaceReply,
  GroupView,
  PersistedFaceView,
  PersonView,
  TrainingStatusView,
  VisageError,
} from '#contracts';

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
  return {
    id: view.persistedFaceId,
    person_id: view.personId,
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
