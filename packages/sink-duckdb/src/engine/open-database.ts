import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ConfigError, WarehouseError } from '@sparkify/core';
import { duckDbMessage } from './duckdb-errors.js';

export const MEMORY_PATH = ':memory:';

export interface DatabaseSettings {
  /** An absolute file path, or `:memory:`. */
  path: string;
  /** DuckDB's `memory_limit`, e.g. `1GB`. */
  memoryLimit: string;
  /** DuckDB's `threads`; DuckDB's default (one per core) when absent. */
  threads?: number;
  /** Where `path` was configured, for ConfigError locations. */
  configPath?: string;
}

/** An opened database; release it when done (the last release closes the file). */
export interface DatabaseLease {
  instance: DuckDBInstance;
  /** Whether no other lease in this process holds the same file (the last release closes it). */
  alone(): boolean;
  release(): void;
}

interface SharedInstance {
  instance: Promise<DuckDBInstance>;
  leases: number;
}

/**
 * One DuckDB instance per file in this process. DuckDB's file lock only keeps *other processes*
 * out: a second instance on the same file in this process would open it again behind the first
 * one's back. Sinks on the same file share the instance (each with its own connection), and the
 * last release closes it, so the file is unlocked as soon as no sink uses it.
 */
const shared = new Map<string, SharedInstance>();

export async function openDatabase(settings: DatabaseSettings): Promise<DatabaseLease> {
  if (settings.path === MEMORY_PATH) {
    return openUnshared(settings);
  }
  let entry = shared.get(settings.path);
  if (!entry) {
    entry = { instance: checkFolder(settings).then(() => createInstance(settings)), leases: 0 };
    shared.set(settings.path, entry);
  }
  entry.leases += 1;
  const current = entry;
  let instance: DuckDBInstance;
  try {
    instance = await current.instance;
  } catch (error) {
    releaseShared(settings.path, current);
    throw error;
  }
  let released = false;
  return {
    instance,
    alone: () => current.leases === 1,
    release: () => {
      if (released) return;
      released = true;
      releaseShared(settings.path, current);
    },
  };
}

/**
 * An instance of its own, outside the shared map: for `:memory:` (each is a database of its own)
 * and for a run's working copy, which no other sink may open.
 */
export async function openUnshared(settings: DatabaseSettings): Promise<DatabaseLease> {
  const instance = await createInstance(settings);
  let released = false;
  return {
    instance,
    alone: () => true,
    release: () => {
      if (released) return;
      released = true;
      instance.closeSync();
    },
  };
}

function releaseShared(path: string, entry: SharedInstance): void {
  entry.leases -= 1;
  if (entry.leases > 0) return;
  if (shared.get(path) === entry) shared.delete(path);
  entry.instance.then((instance) => instance.closeSync(), () => undefined);
}

async function checkFolder(settings: DatabaseSettings): Promise<void> {
  const folder = dirname(settings.path);
  const found = await stat(folder).catch(() => undefined);
  if (found?.isDirectory()) return;
  throw new ConfigError(`the folder of the DuckDB warehouse file ${settings.path} does not exist`, {
    location: { file: settings.path, ...(settings.configPath ? { configPath: settings.configPath } : {}) },
    hint: `create ${folder}, or point path at an existing folder`,
  });
}

async function createInstance(settings: DatabaseSettings): Promise<DuckDBInstance> {
  try {
    return await DuckDBInstance.create(settings.path, {
      // Lets DuckDB write and scan in parallel without holding rows back to keep their order:
      // far less memory for large loads and many small files. Order is never relied upon; every
      // query that needs one says ORDER BY.
      preserve_insertion_order: 'false',
      memory_limit: settings.memoryLimit,
      ...(settings.threads === undefined ? {} : { threads: String(settings.threads) }),
    });
  } catch (error) {
    throw openError(error, settings);
  }
}

function openError(error: unknown, settings: DatabaseSettings): Error {
  const message = duckDbMessage(error);
  const location = { file: settings.path, ...(settings.configPath ? { configPath: settings.configPath } : {}) };
  if (/Could not set lock on file/i.test(message)) {
    const holder = /Conflicting lock is held in (.+?)(?: \(PID (\d+)\))?(?:\.|$| See)/.exec(message);
    const pid = holder?.[2] ? ` (process ${holder[2]})` : '';
    return new WarehouseError(`another run holds the DuckDB warehouse file ${settings.path}${pid}`, {
      cause: error,
      location,
      hint: 'wait for the other run to finish (or stop it), or give this run another warehouse path',
    });
  }
  if (/No such file or directory/i.test(message)) {
    return new ConfigError(`cannot create the DuckDB warehouse file ${settings.path}: ${message}`, {
      cause: error,
      location,
      hint: 'check that the folder exists and is writable',
    });
  }
  return new WarehouseError(`cannot open the DuckDB warehouse ${settings.path}: ${message}`, { cause: error, location });
}
