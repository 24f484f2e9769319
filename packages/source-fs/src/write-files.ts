import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Writes `key → content` files under `root` (keys are `/`-separated), creating folders. */
export async function writeFiles(root: string, files: Record<string, Uint8Array | string>): Promise<void> {
  for (const [key, content] of Object.entries(files)) {
    const file = path.join(root, ...key.split('/'));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}
