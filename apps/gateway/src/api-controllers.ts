/** Every controller of the public API, each kind of collection with its own set, made once. */
import { CollectionKinds, type CollectionKind } from '#contracts';
import { azureFacesController } from './azure/azure-faces.controller';
import { azureGroupsController } from './azure/azure-groups.controller';
import { azurePersonsController } from './azure/azure-persons.controller';
import { AzureRecognitionController } from './azure/azure-recognition.controller';
import { envelopeFacesController } from './envelope/envelope-faces.controller';
import { envelopeGroupsController } from './envelope/envelope-groups.controller';
import { envelopePersonsController } from './envelope/envelope-persons.controller';
import { EnvelopeRecognitionController } from './envelope/envelope-recognition.controller';
import { HealthController } from './health/health.controller';

function controllersOf(kind: CollectionKind) {
  return {
    envelope: {
      groups: envelopeGroupsController(kind),
      persons: envelopePersonsController(kind),
      faces: envelopeFacesController(kind),
    },
    azure: {
      groups: azureGroupsController(kind),
      persons: azurePersonsController(kind),
      faces: azureFacesController(kind),
    },
  };
}

export const collectionControllers = Object.fromEntries(
  CollectionKinds.map((kind) => [kind, controllersOf(kind)]),
) as Record<CollectionKind, ReturnType<typeof controllersOf>>;

/** The controllers the API description covers: every route but the description's own. */
export const apiControllers = [
  HealthController,
  ...CollectionKinds.flatMap((kind) => Object.values(collectionControllers[kind].envelope)),
  EnvelopeRecognitionController,
  ...CollectionKinds.flatMap((kind) => Object.values(collectionControllers[kind].azure)),
  AzureRecognitionController,
];
