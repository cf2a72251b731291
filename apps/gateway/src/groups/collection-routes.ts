/** How each kind of collection appears in the HTTP API: its path segment and Azure's name for its id. */
import type { CollectionKind } from '#contracts';

export interface CollectionRoute {
  /** The path segment in both dialects: /largepersongroups, /face/v1.0/persongroups. */
  segment: string;
  /** Azure's field for the id in bodies and answers. */
  idField: 'largePersonGroupId' | 'personGroupId' | 'largeFaceListId' | 'faceListId';
}

export const collectionRoutes: Record<CollectionKind, CollectionRoute> = {
  largePersonGroup: { segment: 'largepersongroups', idField: 'largePersonGroupId' },
  personGroup: { segment: 'persongroups', idField: 'personGroupId' },
  largeFaceList: { segment: 'largefacelists', idField: 'largeFaceListId' },
  faceList: { segment: 'facelists', idField: 'faceListId' },
};

/** A collection as a request names it. */
export interface GroupPath {
  kind: CollectionKind;
  groupId: string;
}

export interface PersonPath extends GroupPath {
  personId: string;
}

/** The kind in a class name: AzurePersonGroupsController, EnvelopeLargePersonGroupFacesController. */
const classNames: Record<CollectionKind, string> = {
  largePersonGroup: 'LargePersonGroup',
  personGroup: 'PersonGroup',
  largeFaceList: 'LargeFaceList',
  faceList: 'FaceList',
};

/**
 * Each kind's routes are one controller class made by a function of the kind; the class is named after its
 * kind, so that the API description and Nest's logs tell the kinds apart.
 */
export function nameController<T extends abstract new (...args: never[]) => unknown>(
  controller: T,
  dialect: 'Azure' | 'Envelope',
  kind: CollectionKind,
  role: 's' | 'Training' | 'Persons' | 'Faces',
): T {
  return Object.defineProperty(controller, 'name', { value: `${dialect}${classNames[kind]}${role}Controller` });
}
