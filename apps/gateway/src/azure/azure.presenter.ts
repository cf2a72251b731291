/**
 * The Azure dialect's shapes (spec §3, §7): Azure's field names, errors as {"error": {"code", "message"}}.
 * An unset userData is omitted rather than null: both official clients type it `userData?: string`.
 */
import type {
  AddFaceReply,
  CollectionKind,
  GroupView,
  ListFaceView,
  PersonView,
  TrainingStatusView,
  VisageError,
} from '#contracts';
import type { DetectedFaceView } from '../detect/detect.use-cases';
import { collectionRoutes } from '../groups/collection-routes';

export function renderAzureError(error: VisageError) {
  return { error: { code: error.entry.azureCode, message: error.message } };
}

export function azureGroup(view: GroupView, kind: CollectionKind, returnRecognitionModel = false) {
  return {
    [collectionRoutes[kind].idField]: view.groupId,
    name: view.name,
    ...userDataOf(view),
    ...(returnRecognitionModel ? { recognitionModel: view.recognitionModel } : {}),
    ...(view.persistedFaces ? { persistedFaces: view.persistedFaces.map(azureFace) } : {}),
  };
}

export function azureCreatedPerson(view: PersonView) {
  return { personId: view.personId };
}

export function azurePerson(view: PersonView) {
  return {
    personId: view.personId,
    name: view.name,
    ...userDataOf(view),
    persistedFaceIds: view.persistedFaceIds,
  };
}

export function azureAddedFace(reply: AddFaceReply) {
  return { persistedFaceId: reply.persistedFaceId };
}

export function azureFace(view: ListFaceView) {
  return { persistedFaceId: view.persistedFaceId, ...userDataOf(view) };
}

function userDataOf(view: { userData: string | null }): { userData?: string } {
  return view.userData === null ? {} : { userData: view.userData };
}

export function azureTrainingStatus(view: TrainingStatusView) {
  return {
    status: view.status,
    createdDateTime: view.createdDateTime,
    lastActionDateTime: view.lastActionDateTime,
    lastSuccessfulTrainingDateTime: view.lastSuccessfulTrainingDateTime,
    message: view.message,
  };
}

/** The view is Azure's shape already: attributes only when asked for, under faceAttributes. */
export function azureDetectedFace(face: DetectedFaceView) {
  return face;
}
