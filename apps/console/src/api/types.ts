/** The envelope dialect's answers, as the console reads them (docs/api.md). */
export type RecognitionModel = 'recognition_01' | 'recognition_02' | 'recognition_03' | 'recognition_04';

export type CollectionKind = 'largepersongroups' | 'persongroups' | 'largefacelists' | 'facelists';

export interface CollectionKindInfo {
  kind: CollectionKind;
  label: string;
  holds: 'persons' | 'faces';
  trained: boolean;
}

export const collectionKinds: readonly CollectionKindInfo[] = [
  { kind: 'largepersongroups', label: 'Large person groups', holds: 'persons', trained: true },
  { kind: 'persongroups', label: 'Person groups', holds: 'persons', trained: true },
  { kind: 'largefacelists', label: 'Large face lists', holds: 'faces', trained: true },
  { kind: 'facelists', label: 'Face lists', holds: 'faces', trained: false },
];

export interface Collection {
  id: string;
  name: string;
  user_data: string | null;
  recognition_model: RecognitionModel;
}

export interface Person {
  id: string;
  name: string;
  persisted_face_ids: string[];
}

export interface ListFace {
  id: string;
}

export interface Rectangle {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface DetectedFace {
  face_id?: string;
  face_rectangle: Rectangle;
  face_landmarks?: Record<string, { x: number; y: number }>;
  face_attributes?: { quality_for_recognition?: 'low' | 'medium' | 'high' };
}

export interface IdentifyResult {
  face_id: string;
  candidates: { person_id: string; confidence: number }[];
}

export interface TrainingStatus {
  status: 'notStarted' | 'running' | 'succeeded' | 'failed';
  message: string | null;
}

export interface VerifyResult {
  is_identical: boolean;
  confidence: number;
}
