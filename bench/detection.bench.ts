/**
 * `npm run bench:detection`: what each detection model finds. On the edge files (their manifest gives the face
 * count) and on variants of the 144 labelled photos made here with sharp: the face shrunk to about 40 px on a
 * grey 1024x768 canvas, blurred (gaussian sigma 3.5), rolled by 30 and by 45 degrees, and (the 84 LFW photos)
 * the face at about 48 px in a 1920x1080 picture. Counts the pictures in which at least one face was found, the
 * edge files with exactly the expected count, and the boxes found on pictures without a face: the edge files'
 * and the photos with their faces painted over; and the one-person photos on which several faces are found, and
 * which of them enrolment still refuses. Writes bench/results/detection.json.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { DetectionModels, VisageError, type DetectionModel, type ExtractReply } from '#contracts';
import { ExtractionPool } from '../apps/detector/src/extraction/extraction-pool';
import { DetectionModelSpecs } from '../apps/detector/src/models/model-registry';
import { oneFaceToEnrol, selectFaces } from '../apps/detector/src/pipeline/face-selection';
import { facesDir } from '../test/support/stack';
import { distantInFullHd, facesErased, inFullHd, photoVariants } from '../test/support/photo-variants';
import { writeBenchResult } from './bench-results';

interface EdgeFile {
  file: string;
  faces?: number;
  expect: string;
}

/** What a model finds in the picture (a copy: the pool takes the bytes it is given). */
function detected(pool: ExtractionPool, model: DetectionModel, image: Buffer) {
  return pool.extract({
    image: Buffer.from(image),
    detectionModel: model,
    recognitionModel: 'recognition_01',
    purpose: 'detect',
  });
}

async function boxesFound(pool: ExtractionPool, model: DetectionModel, image: Buffer) {
  return (await detected(pool, model, image)).faces.map((face) => face.rectangle);
}

async function facesFound(pool: ExtractionPool, model: DetectionModel, image: Buffer): Promise<number | 'refused'> {
  try {
    return (await boxesFound(pool, model, image)).length;
  } catch {
    return 'refused'; // not an image, too small, ...: the same for every model
  }
}

/** One-person photos on which detect finds several faces, and those of them that enrolment refuses. */
class EnrolmentRefusals {
  private readonly several: string[] = [];
  private readonly refused: string[] = [];

  record(file: string, reply: ExtractReply): void {
    if (reply.faces.length <= 1) return;
    this.several.push(file);
    try {
      oneFaceToEnrol(selectFaces(reply.faces, reply.image, { purpose: 'enrol' }), {});
    } catch (error) {
      if (!(error instanceof VisageError)) throw error;
      this.refused.push(`${file} (${error.key})`);
    }
  }

  figures() {
    return { severalFacesFound: this.several.sort(), refusedForEnrolment: this.refused.sort() };
  }
}

/** "N boxes on M of K pictures" */
function falseBoxes(counts: (number | 'refused')[]): string {
  const boxes = counts.filter((c) => typeof c === 'number');
  const sum = boxes.reduce((total, c) => total + c, 0);
  return `${sum} boxes on ${boxes.filter((c) => c > 0).length} of ${boxes.length} pictures`;
}

async function main(): Promise<void> {
  const manifest = JSON.parse(readFileSync(path.join(facesDir, 'manifest.json'), 'utf8')) as {
    file: string;
    collection: string;
  }[];
  const photos = manifest.map((p) => readFileSync(path.join(facesDir, p.file)));
  // LFW photos show the face with its surroundings; the other collections' tight face crops, pasted small on a
  // plain canvas, stop looking like a scene to any detector.
  const scenePhotos = manifest
    .filter((p) => p.collection === 'LFW')
    .map((p) => readFileSync(path.join(facesDir, p.file)));
  const edgeDir = path.join(facesDir, 'edge');
  const edge = (JSON.parse(readFileSync(path.join(edgeDir, 'manifest.json'), 'utf8')) as EdgeFile[]).filter(
    (e) => typeof e.faces === 'number',
  );
  const sets = Object.fromEntries(
    await Promise.all(
      Object.entries(photoVariants).map(async ([name, make]) => [name, await Promise.all(photos.map(make))] as const),
    ),
  ) as Record<string, Buffer[]>;
  sets.distant = await Promise.all(scenePhotos.map(distantInFullHd));

  const pool = await ExtractionPool.start({ workers: availableParallelism(), backend: 'auto' });
  const oneFaceRule = Object.fromEntries(DetectionModels.map((model) => [model, new EnrolmentRefusals()]));
  const models: Record<string, unknown> = {};
  const byDetector = new Map<string, unknown>();
  try {
    // Scenes without a face: the photos with every face that any model finds in them painted over, as they are
    // and enlarged into a full-HD frame (where detection_03's tiles look closer).
    // The same detections tell how often a one-person photo is refused for enrolment as showing several faces:
    // every face found counted before the enrolment rule compared their sharpness.
    const erased = await Promise.all(
      photos.map(async (photo, i) => {
        const found = await Promise.all(DetectionModels.map((model) => detected(pool, model, photo)));
        found.forEach((reply, m) => oneFaceRule[DetectionModels[m]!]!.record(manifest[i]!.file, reply));
        return facesErased(
          photo,
          found.flatMap((reply) => reply.faces.map((face) => face.rectangle)),
        );
      }),
    );
    const noFaceScenes: Record<string, Buffer[]> = {
      facesErased: erased,
      facesErasedInFullHd: await Promise.all(erased.map(inFullHd)),
    };
    for (const model of DetectionModels) {
      const spec = DetectionModelSpecs[model];
      const key = JSON.stringify(spec.detectors);
      if (!byDetector.has(key)) {
        const started = performance.now();
        const found: Record<string, string> = {};
        let pictures = 0;
        for (const [name, images] of Object.entries(sets)) {
          const counts = await Promise.all(images.map((image) => facesFound(pool, model, image)));
          found[name] = `${counts.filter((c) => typeof c === 'number' && c > 0).length}/${images.length}`;
          pictures += images.length;
        }
        const edgeCounts = await Promise.all(
          edge.map((e) => facesFound(pool, model, readFileSync(path.join(edgeDir, e.file)))),
        );
        pictures += edge.length;
        const boxesOnScenes: Record<string, string> = {};
        for (const [name, images] of Object.entries(noFaceScenes)) {
          boxesOnScenes[name] = falseBoxes(await Promise.all(images.map((image) => facesFound(pool, model, image))));
          pictures += images.length;
        }
        const exact = edge.filter((e, i) => edgeCounts[i] === e.faces).length;
        const noFace = edgeCounts.filter((_, i) => edge[i]!.faces === 0);
        byDetector.set(key, {
          detectors: spec.detectors.map(
            (d) =>
              `${d.sourcePackage}:${d.net} ${d.inputSize}px score ${d.minScore}${d.grid > 1 ? ` on ${d.grid}x${d.grid} tiles` : ''}`,
          ),
          facesFound: found,
          edgeFilesWithTheExpectedCount: `${exact}/${edge.length}`,
          oneFacePhotos: oneFaceRule[model]!.figures(),
          boxesOnNoFacePictures: falseBoxes(noFace),
          boxesOnScenesWithFacesErased: boxesOnScenes,
          picturesPerSecond: Math.round((pictures / ((performance.now() - started) / 1000)) * 100) / 100,
        });
      }
      models[model] = byDetector.get(key);
      console.log(model, JSON.stringify(models[model]));
    }
  } finally {
    await pool.close();
  }
  writeBenchResult('detection.json', {
    dataset:
      'shared/testdata/faces: 144 labelled photos, each as small (40 px face on a grey canvas), blurred ' +
      '(sigma 3.5), rolled 30 and 45 degrees, and with their faces painted over (as they are and in a full-HD ' +
      'frame); the 84 LFW photos with a 48 px face in a full-HD picture; the edge files with a face count',
    models,
  });
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
