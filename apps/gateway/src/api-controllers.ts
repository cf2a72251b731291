/** Every controller of the public API: each kind of collection gets the route families its rules give it. */
import { CollectionKinds, Collections, type CollectionKind } from '#contracts';
import { azureFacesController } from './azure/azure-faces.controller';
import { azureGroupsController } from './azure/azure-groups.controller';
import { azureListFacesController } from './azure/azure-list-faces.controller';
import { azurePersonsController } from './azure/azure-persons.controller';
import { AzureRecognitionController } from './azure/azure-recognition.controller';
import { azureTrainingController } from './azure/azure-training.controller';
import { envelopeFacesController } from './envelope/envelope-faces.controller';
import { envelopeGroupsController } from './envelope/envelope-groups.controller';
import { envelopeListFacesController } from './envelope/envelope-list-faces.controller';
import { envelopePersonsController } from './envelope/envelope-persons.controller';
import { EnvelopeRecognitionController } from './envelope/envelope-recognition.controller';
import { envelopeTrainingController } from './envelope/envelope-training.controller';
import { HealthController } from './health/health.controller';

/** One controller class per dialect for each kind that has the family, made once. */
function family<E, A>(
  kinds: readonly CollectionKind[],
  make: { envelope: (kind: CollectionKind) => E; azure: (kind: CollectionKind) => A },
) {
  return kinds.map((kind) => ({ kind, envelope: make.envelope(kind), azure: make.azure(kind) }));
}

const personGroupKinds = CollectionKinds.filter((kind) => Collections[kind].holds === 'persons');
const faceListKinds = CollectionKinds.filter((kind) => Collections[kind].holds === 'faces');
const trainedKinds = CollectionKinds.filter((kind) => Collections[kind].training !== undefined);

export const collectionControllers = {
  groups: family(CollectionKinds, { envelope: envelopeGroupsController, azure: azureGroupsController }),
  training: family(trainedKinds, { envelope: envelopeTrainingController, azure: azureTrainingController }),
  persons: family(personGroupKinds, { envelope: envelopePersonsController, azure: azurePersonsController }),
  personFaces: family(personGroupKinds, { envelope: envelopeFacesController, azure: azureFacesController }),
  listFaces: family(faceListKinds, { envelope: envelopeListFacesController, azure: azureListFacesController }),
};

const families = Object.values(collectionControllers);

/** The controllers the API description covers: every route but the description's own. */
export const apiControllers = [
  HealthController,
  ...families.flatMap((made) => made.map((controllers) => controllers.envelope)),
  EnvelopeRecognitionController,
  ...families.flatMap((made) => made.map((controllers) => controllers.azure)),
  AzureRecognitionController,
];
