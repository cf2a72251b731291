import type { ErrorKey } from './errors';

/**
 * The kinds of collection Azure Face has. They are one model in Visage and differ only in these rules; each
 * kind has its own id namespace, so a person group and a large person group may share an id.
 */
export const CollectionKinds = ['largePersonGroup', 'personGroup', 'largeFaceList', 'faceList'] as const;
export type CollectionKind = (typeof CollectionKinds)[number];

/** Groups of persons, each with its faces: what identify searches. */
export type PersonGroupKind = 'largePersonGroup' | 'personGroup';
/** Lists of faces of their own: what FindSimilar searches. */
export type FaceListKind = 'largeFaceList' | 'faceList';

export interface CollectionRules {
  /** What the kind is called in messages: "Large person group", "Face list". */
  title: string;
  holds: 'persons' | 'faces';
  /** Persons a group may hold; undefined = no limit of its own. */
  maxPersons?: number;
  /** Faces a list may hold. */
  maxFaces?: number;
  /** The catalogue errors of this kind, named as Azure names them for the family. */
  errors: { notFound: ErrorKey; exists: ErrorKey };
  /** Kinds searched through a trained snapshot; a face list is searched as it stands. */
  training?: { notTrained: ErrorKey; neverTrained: ErrorKey; inProgress: ErrorKey };
}

export const Collections: Record<CollectionKind, CollectionRules> = {
  largePersonGroup: {
    title: 'Large person group',
    holds: 'persons',
    errors: { notFound: 'GROUP_NOT_FOUND', exists: 'GROUP_EXISTS' },
    training: {
      notTrained: 'GROUP_NOT_TRAINED',
      neverTrained: 'TRAINING_NOT_FOUND',
      inProgress: 'TRAINING_IN_PROGRESS',
    },
  },
  personGroup: {
    title: 'Person group',
    holds: 'persons',
    // Azure's S0 tier: 10,000 persons per person group; more persons is what large person groups are for.
    maxPersons: 10_000,
    errors: { notFound: 'PERSON_GROUP_NOT_FOUND', exists: 'PERSON_GROUP_EXISTS' },
    training: {
      notTrained: 'PERSON_GROUP_NOT_TRAINED',
      neverTrained: 'PERSON_GROUP_TRAINING_NOT_FOUND',
      inProgress: 'PERSON_GROUP_TRAINING_IN_PROGRESS',
    },
  },
  largeFaceList: {
    title: 'Large face list',
    holds: 'faces',
    maxFaces: 1_000_000,
    errors: { notFound: 'LARGE_FACE_LIST_NOT_FOUND', exists: 'LARGE_FACE_LIST_EXISTS' },
    training: {
      notTrained: 'LARGE_FACE_LIST_NOT_TRAINED',
      neverTrained: 'LARGE_FACE_LIST_TRAINING_NOT_FOUND',
      inProgress: 'LARGE_FACE_LIST_TRAINING_IN_PROGRESS',
    },
  },
  faceList: {
    title: 'Face list',
    holds: 'faces',
    maxFaces: 1_000,
    errors: { notFound: 'FACE_LIST_NOT_FOUND', exists: 'FACE_LIST_EXISTS' },
  },
};

/** The training errors of a kind that is trained; asking for those of a face list is a programming error. */
export function trainingErrorsOf(kind: CollectionKind): NonNullable<CollectionRules['training']> {
  const training = Collections[kind].training;
  if (!training) throw new Error(`A ${Collections[kind].title.toLowerCase()} is not trained`);
  return training;
}
