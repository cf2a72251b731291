/**
 * The console's files (built by `npm run build` from apps/console into dist/console), read once at start and
 * served from memory: a few small files, so no request touches the disk and no path from a request reaches it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface ConsoleFile {
  body: Buffer;
  contentType: string;
  /** Built files other than the page carry a content hash in their name and never change. */
  immutable: boolean;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** dist/console beside the compiled gateway (dist/apps/gateway/src/console). */
export const builtConsoleDir = path.resolve(__dirname, '..', '..', '..', '..', 'console');

export class ConsoleAssets {
  private constructor(private readonly files: ReadonlyMap<string, ConsoleFile>) {}

  /** The files under `dir` by their path relative to it ('index.html', 'assets/index-1a2b.js'); none if unbuilt. */
  static load(dir: string = builtConsoleDir): ConsoleAssets {
    const files = new Map<string, ConsoleFile>();
    const walk = (folder: string) => {
      for (const name of readdirSync(folder)) {
        const full = path.join(folder, name);
        if (statSync(full).isDirectory()) {
          walk(full);
          continue;
        }
        const contentType = contentTypes[path.extname(name)];
        if (contentType === undefined) continue;
        const relative = path.relative(dir, full).split(path.sep).join('/');
        files.set(relative, { body: readFileSync(full), contentType, immutable: relative !== 'index.html' });
      }
    };
    if (existsSync(dir)) walk(dir);
    return new ConsoleAssets(files);
  }

  get page(): ConsoleFile | undefined {
    return this.files.get('index.html');
  }

  asset(name: string): ConsoleFile | undefined {
    return this.files.get(`assets/${name}`);
  }
}
