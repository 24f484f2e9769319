import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * A file written beside its final name and renamed over it only when complete. A rename within
 * one folder is atomic, so a reader sees the old file or the new one, never half of one; a run
 * that fails or is killed leaves at most a hidden `.NAME.*.tmp` file, never a short `NAME`.
 */
export class StagedFile {
  private bytes = 0;

  private constructor(
    /** The final path. */
    readonly path: string,
    /** Where the content is written until `publish`. */
    readonly tempPath: string,
    private handle: FileHandle | undefined,
  ) {}

  /** Creates the temporary file (exclusively: two runs never share one). */
  static async create(path: string): Promise<StagedFile> {
    const tempPath = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    return new StagedFile(path, tempPath, await open(tempPath, 'wx'));
  }

  get bytesWritten(): number {
    return this.bytes;
  }

  async write(text: string): Promise<void> {
    if (!this.handle) throw new Error(`${this.tempPath} is closed`);
    const data = Buffer.from(text, 'utf8');
    await this.handle.write(data);
    this.bytes += data.length;
  }

  /** Flushes the content to disk and closes the file, still under its temporary name. */
  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    if (!handle) return;
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** Renames the complete file over its final name (replacing an older one). */
  async publish(): Promise<void> {
    await this.close();
    await rename(this.tempPath, this.path);
  }

  /** Removes the temporary file; the final name keeps whatever it held before. Never throws. */
  async discard(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    await rm(this.tempPath, { force: true }).catch(() => undefined);
  }
}
