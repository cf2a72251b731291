import { existsSync, readFileSync } from 'node:fs';

/** A process's command line as /proc shows it; undefined when the process is gone or the system has no /proc. */
export function commandLineOf(pid: number): string | undefined {
  const file = `/proc/${pid}/cmdline`;
  try {
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}
