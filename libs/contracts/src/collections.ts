import type { ErrorKey } from './errors';

/**
 * The kinds of collection Azure Face has. They are one model in Visage and differ only in these rules; each
 * kind has its own id namespace, so a person group and a large person group may share an id.
 */
export const CollectionKinds = ['largePersonGroup', 'personGroup'] as const;
export type CollectionKind = (typeof CollectionKinds)[number];

export interface CollectionRules {
  /** What the kind is called in messages: "Large person group", "Person group". */
  title: string;
  /** Persons a collection may hold; undefined = no limit of its own. */
  maxPersons?: number;
  /** The catalogue errors of this kind, named as Azure names them for the family. */
  errors: {
    notFound: ErrorKey;
    exists: ErrorKey;
    notTrained: ErrorKey;
    trainingNotFound: ErrorKey;
    trainingInProgress: ErrorKey;
  };
}

export const Collections: Record<CollectionKind, CollectionRules> = {
  largePersonGroup: {
    title: 'Large person group',
    errors: {
      notFound: 'GROUP_NOT_FOUND',
      exists: 'GROUP_EXISTS',
      notTrained: 'GROUP_NOT_TRAINED',
      trainingNotFound: 'TRAINING_NOT_FOUND',
      trainingInProgress: 'TRAINING_IN_PROGRESS',
    },
  },
  personGroup: {
    title: 'Person group',
    // Azure's S0 tier: 10,000 persons per person group; more persons is what large person groups are for.
    maxPersons: 10_000,
    errors: {
      notFound: 'PERSON_GROUP_NOT_FOUND',
      exists: 'PERSON_GROUP_EXISTS',
      notTrained: 'PERSON_GROUP_NOT_TRAINED',
      trainingNotFound: 'PERSON_GROUP_TRAINING_NOT_FOUND',
      trainingInProgress: 'PERSON_GROUP_TRAINING_IN_PROGRESS',
    },
  },
};
