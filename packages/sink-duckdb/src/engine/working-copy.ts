import { execFile } from 'node:child_process';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import type { DuckDBConnection } from '@duckdb/node-api';
import { PipelineError, WarehouseError } from '@sparkify/core';
import { duckDbMessage } from './duckdb-errors.js';
import { openUnshared, type DatabaseLease, type DatabaseSettings } from './open-database.js';

/**
 * A run's copy of the warehouse file. The run writes to the copy with every statement committed
 * on its own, and `swapIn` renames the copy over the file when the run succeeds; `discard`
 * deletes it otherwise, so a failed run leaves the file as it was.
 *
 * Why not one transaction: in DuckDB a failed statement aborts the open transaction, so every
 * statement that might fail on the data had to be tried on a side connection first (the event
 * files read twice), and statements read the transaction's own rows more slowly (songplays took
 * 0.2 to 0.5 s longer at 1M events). On the copy, a failed statement undoes only itself.
 */
export interface WorkingCopy {
  path: string;
  lease: DatabaseLease;
  connection: DuckDBConnection;
}

/** Where the copy of `path` lives: beside it (a rename is atomic only within one file system). */
export function workingCopyPath(path: string): string {
  return `${path}.sparkify-run`;
}

/**
 * Copies the warehouse, whose file `original` (a connection holding DuckDB's lock on it) keeps
 * for the whole run: another process cannot open it meanwhile and write what the swap would
 * overwrite. A copy left by a run that crashed is overwritten: the lock says no run uses it.
 */
export async function openWorkingCopy(original: DuckDBConnection, settings: DatabaseSettings): Promise<WorkingCopy> {
  const path = workingCopyPath(settings.path);
  let step = `cannot copy the DuckDB warehouse ${settings.path} to ${path} for the run`;
  let lease: DatabaseLease | undefined;
  try {
    // The write-ahead log into the file, so that copying the file copies every committed row.
    await original.run('CHECKPOINT');
    await removeCopy(path);
    await copyInAnotherProcess(settings.path, path);
    step = `cannot open the run's copy ${path}`;
    lease = await openUnshared({ ...settings, path });
    return { path, lease, connection: await lease.instance.connect() };
  } catch (error) {
    lease?.release();
    await removeCopy(path).catch(() => undefined);
    throw error instanceof PipelineError ? error : copyError(step, error, settings.path);
  }
}

/** Whether this platform can copy the file without touching DuckDB's lock on it (see below). */
export const WORKING_COPY_SUPPORTED = process.platform !== 'win32';

/**
 * The file copied by `cp`, not by this process: POSIX record locks belong to the process, and
 * closing any descriptor of the file here (fs.copyFile opens and closes one) would release
 * DuckDB's lock on it, letting another run in. On Linux a clone where the file system can
 * (btrfs, XFS): then the copy costs no time.
 */
async function copyInAnotherProcess(from: string, to: string): Promise<void> {
  const args = process.platform === 'linux' ? ['--reflink=auto', '--', from, to] : ['--', from, to];
  await promisify(execFile)('cp', args);
}

/** The copy, written out whole and closed, renamed over the warehouse file. */
export async function swapIn(copy: WorkingCopy, target: string): Promise<void> {
  try {
    await copy.connection.run('CHECKPOINT');
  } finally {
    closeCopy(copy);
  }
  try {
    await rename(copy.path, target);
    await syncFolder(dirname(target));
  } catch (error) {
    await removeCopy(copy.path).catch(() => undefined);
    throw copyError(`cannot move the run's copy ${copy.path} over ${target}; the warehouse is as it was`, error, target);
  }
  await rm(`${copy.path}.tmp`, { recursive: true, force: true });
}

/** The copy closed and deleted. */
export async function discard(copy: WorkingCopy): Promise<void> {
  closeCopy(copy);
  await removeCopy(copy.path);
}

function closeCopy(copy: WorkingCopy): void {
  copy.connection.closeSync();
  copy.lease.release();
}

/** The copy's file, its write-ahead log (never replay a stale one onto a fresh copy) and its spill folder. */
async function removeCopy(path: string): Promise<void> {
  await Promise.all([rm(path, { force: true }), rm(`${path}.wal`, { force: true }), rm(`${path}.tmp`, { recursive: true, force: true })]);
}

/** The rename made durable: it is an entry of the folder. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function copyError(what: string, error: unknown, file: string): WarehouseError {
  return new WarehouseError(`${what}: ${duckDbMessage(error)}`, { cause: error, location: { file } });
}
