/**
 * What route metadata cannot tell about each operation: its summary, the schema of its answer (inside `data`
 * in the envelope dialect; none for an empty body) and whether it takes an image. Typed per controller, so a
 * new route does not compile until it is described here.
 */
import type { Type } from '@nestjs/common';
import { AzureFacesController } from '../azure/azure-faces.controller';
import { AzureGroupsController } from '../azure/azure-groups.controller';
import { AzurePersonsController } from '../azure/azure-persons.controller';
import { AzureRecognitionController } from '../azure/azure-recognition.controller';
import { EnvelopeFacesController } from '../envelope/envelope-faces.controller';
import { EnvelopeGroupsController } from '../envelope/envelope-groups.controller';
import { EnvelopePersonsController } from '../envelope/envelope-persons.controller';
import { EnvelopeRecognitionController } from '../envelope/envelope-recognition.controller';
import { HealthController } from '../health/health.controller';
import type { Schema } from './dto-schema';
import { listOf, ref } from './reply-schemas';

export interface OperationDoc {
  summary: string;
  reply?: Schema;
  /** The body is an image: raw bytes, or JSON {"url"} (common/image-input.ts). */
  image?: true;
  /** Response headers of the success answer, by name. */
  headers?: Record<string, string>;
  /** Statuses answered besides the success one, with the same body. */
  alsoAnswers?: Record<string, string>;
}

/** How answers are shaped: wrapped in {"success", "data"}, Azure's bodies, or the bare health probes. */
export type Dialect = 'envelope' | 'azure' | 'health';

export interface ControllerDocs {
  dialect: Dialect;
  operations: Record<string, OperationDoc>;
}

function described<T>(
  controller: Type<T>,
  dialect: Dialect,
  operations: { [Method in keyof T]: OperationDoc },
): [Type, ControllerDocs] {
  return [controller, { dialect, operations }];
}

const operationLocation = { 'operation-Location': 'absolute URL of the training status' };

const summaries = {
  createGroup: 'Create a large person group',
  listGroups: 'List large person groups',
  getGroup: 'Get a large person group',
  updateGroup: 'Update a large person group',
  deleteGroup: 'Delete a large person group with its persons and faces',
  createPerson: 'Create a person',
  listPersons: 'List the persons of a group',
  getPerson: 'Get a person',
  updatePerson: 'Update a person',
  deletePerson: 'Delete a person with its faces',
  addFace: 'Add a face to a person',
  getFace: 'Get a persisted face',
  updateFace: "Update a persisted face's userData",
  deleteFace: 'Delete a persisted face',
  train: 'Start training a group',
  trainingStatus: 'Get the training status of a group',
  detect: 'Detect faces',
  identify: 'Identify faces against a trained group',
  verify: 'Verify two faces, or a face against a person',
};

export const operationDocs = new Map<Type, ControllerDocs>([
  described(HealthController, 'health', {
    health: { summary: 'Liveness: the gateway process answers', reply: ref('Health') },
    ready: {
      summary:
        'Readiness: the broker is connected and a detector and a store answer; what each answered only with a key',
      reply: ref('Readiness'),
      alsoAnswers: { '503': 'not ready' },
    },
  }),
  described(EnvelopeGroupsController, 'envelope', {
    create: { summary: summaries.createGroup, reply: ref('Group') },
    list: { summary: summaries.listGroups, reply: listOf(ref('Group')) },
    get: { summary: summaries.getGroup, reply: ref('Group') },
    update: { summary: summaries.updateGroup, reply: ref('Group') },
    delete: { summary: summaries.deleteGroup, reply: ref('Deleted') },
  }),
  described(EnvelopePersonsController, 'envelope', {
    create: { summary: summaries.createPerson, reply: ref('Person') },
    list: { summary: summaries.listPersons, reply: listOf(ref('Person')) },
    get: { summary: summaries.getPerson, reply: ref('Person') },
    update: { summary: summaries.updatePerson, reply: ref('Person') },
    delete: { summary: summaries.deletePerson, reply: ref('Deleted') },
  }),
  described(EnvelopeFacesController, 'envelope', {
    add: { summary: summaries.addFace, reply: ref('AddedFace'), image: true },
    get: { summary: summaries.getFace, reply: ref('Face') },
    update: { summary: summaries.updateFace, reply: ref('Face') },
    delete: { summary: summaries.deleteFace, reply: ref('Deleted') },
  }),
  described(EnvelopeRecognitionController, 'envelope', {
    train: { summary: summaries.train, reply: ref('TrainingStatus'), headers: operationLocation },
    trainingStatus: { summary: summaries.trainingStatus, reply: ref('TrainingStatus') },
    detect: { summary: summaries.detect, reply: listOf(ref('DetectedFace')), image: true },
    identify: { summary: summaries.identify, reply: listOf(ref('IdentifyResult')) },
    verify: { summary: summaries.verify, reply: ref('VerifyResult') },
  }),
  described(AzureGroupsController, 'azure', {
    create: { summary: summaries.createGroup },
    list: { summary: summaries.listGroups, reply: listOf(ref('AzureGroup')) },
    get: { summary: summaries.getGroup, reply: ref('AzureGroup') },
    update: { summary: summaries.updateGroup },
    delete: { summary: summaries.deleteGroup },
  }),
  described(AzurePersonsController, 'azure', {
    create: { summary: summaries.createPerson, reply: ref('AzureCreatedPerson') },
    list: { summary: summaries.listPersons, reply: listOf(ref('AzurePerson')) },
    get: { summary: summaries.getPerson, reply: ref('AzurePerson') },
    update: { summary: summaries.updatePerson },
    delete: { summary: summaries.deletePerson },
  }),
  described(AzureFacesController, 'azure', {
    add: { summary: summaries.addFace, reply: ref('AzureAddedFace'), image: true },
    get: { summary: summaries.getFace, reply: ref('AzureFace') },
    update: { summary: summaries.updateFace },
    delete: { summary: summaries.deleteFace },
  }),
  described(AzureRecognitionController, 'azure', {
    train: { summary: summaries.train, headers: operationLocation },
    trainingStatus: { summary: summaries.trainingStatus, reply: ref('AzureTrainingStatus') },
    detect: { summary: summaries.detect, reply: listOf(ref('AzureDetectedFace')), image: true },
    identify: { summary: summaries.identify, reply: listOf(ref('IdentifyResult')) },
    verify: { summary: summaries.verify, reply: ref('VerifyResult') },
  }),
]);
