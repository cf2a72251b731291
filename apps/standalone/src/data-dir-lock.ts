/**
 * One Visage per data folder: a second one would start a second PostgreSQL on the same files. The lock is a file
 * holding the owner's pid; a lock whose process is gone (a crash, a killed container) is taken over.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { commandLineOf } from './process-command-line';

export class DataDirInUseError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `Visage is already running on the data folder ${dir} (process ${pid}). Stop it first, or give this one ` +
        `another folder with VISAGE_DATA_DIR.`,
    );
    this.name = 'DataDirInUseError';
  }
}

export class DataDirLock {
  private constructor(private readonly file: string) {}

  static take(dir: string): DataDirLock {
    const file = path.join(dir, 'visage.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
        return new DataDirLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (isVisageProcess(owner)) throw new DataDirInUseError(dir, owner);
      rmSync(file, { force: true });
    }
    throw new Error(`Could not lock the data folder ${dir}: another process keeps taking ${file}.`);
  }

  release(): void {
    rmSync(this.file, { force: true });
  }
}

/** A live process other than this one, and (where /proc tells) a Node process: pids are reused after a reboot. */
function isVisageProcess(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !existsSync('/proc/self') || /node/.test(commandLineOf(pid) ?? '');
}
