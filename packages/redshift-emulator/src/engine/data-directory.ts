import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Where the databases keep their data: memory, a given folder, or a temporary folder removed on close. */
export class DataDirectory {
  private temporary: Promise<string> | undefined;

  constructor(
    private readonly dataDir: string | undefined,
    private readonly useTemporary: boolean,
  ) {}

  /** The folder to create database folders in, or undefined for in-memory databases. */
  folder(): Promise<string | undefined> {
    if (this.dataDir !== undefined) return Promise.resolve(this.dataDir);
    if (!this.useTemporary) return Promise.resolve(undefined);
    this.temporary ??= mkdtemp(path.join(tmpdir(), 'redshift-emulator-'));
    return this.temporary;
  }

  async dispose(): Promise<void> {
    const temporary = this.temporary;
    this.temporary = undefined;
    if (temporary) await rm(await temporary, { recursive: true, force: true });
  }
}
