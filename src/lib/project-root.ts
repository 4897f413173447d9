import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root (holds package.json), from src/ under ts-jest or from dist/src/ after a build. */
export function projectRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + from);
    dir = up;
  }
  return dir;
}
