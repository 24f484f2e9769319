// Test helpers for the Sparkify pipeline: run a pipeline file in-process and read the warehouse.
import 'reflect-metadata';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  EventBus,
  closeAll,
  instantiate,
  loadPipelineFile,
  runPipeline,
  type QueryValue,
  type RunEvent,
  type RunOutcome,
} from '@sparkify/core';
import { startEmulatorServer, type EmulatorServer, type EmulatorServerOptions } from '@sparkify/redshift-emulator';
import { createRootContainer, registryOf } from './cli/composition-root.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const UDACITY_SAMPLE = resolve(REPO_ROOT, '../shared/data/udacity-sample');
export const LOCAL_PIPELINE = join(REPO_ROOT, 'pipelines/local.json');

/**
 * The arguments that start the real CLI in one node process, exactly as `pnpm sparkify` does
 * (bin/sparkify.mjs: the CLI's JavaScript bundle, rebuilt when a source changed): signals reach
 * the run itself, and tests run what users run.
 */
export const CLI_MAIN = join(REPO_ROOT, 'packages/sparkify-pipeline/bin/sparkify.mjs');
export function cliArgs(args: readonly string[]): string[] {
  return [CLI_MAIN, ...args];
}
export const REDSHIFT_PIPELINE = join(REPO_ROOT, 'pipelines/redshift.json');

/** Fake keys for the emulator: with an endpoint the AWS clients read them from the environment. */
export function useEmulatorCredentials(): void {
  process.env['AWS_ACCESS_KEY_ID'] ??= 'emulator';
  process.env['AWS_SECRET_ACCESS_KEY'] ??= 'emulator';
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
}

/** A folder the emulator serves as S3 in which bucket `bucket` is the given data folder. */
export async function s3FolderWith(data: string, bucket = 'udacity-dend'): Promise<string> {
  const root = await tempDir('sparkify-s3-');
  await symlink(data, join(root, bucket), 'dir');
  return root;
}

export interface SampleEmulator {
  server: EmulatorServer;
  /** The folder served as S3: bucket udacity-dend is the Udacity sample. */
  s3Root: string;
  /** Stops the server and removes the S3 folder. */
  close(): Promise<void>;
}

export interface SampleEmulatorOptions {
  /** More buckets of the S3 folder: name → the data folder it links to. */
  links?: Record<string, string>;
  /** In-memory buckets, made once the S3 folder exists (a store may wrap one of its buckets). */
  buckets?: (s3Root: string) => NonNullable<EmulatorServerOptions['buckets']>;
  /** Everything else the server takes (faults, latency…). */
  server?: Omit<EmulatorServerOptions, 's3Dir' | 'tempDataDir' | 'buckets'>;
}

/**
 * The Redshift emulator over HTTP, its data in a temporary folder, serving the Udacity sample
 * as S3 bucket udacity-dend. Credentials are the caller's (useEmulatorCredentials, or its own).
 */
export async function startSampleEmulator(options: SampleEmulatorOptions = {}): Promise<SampleEmulator> {
  const s3Root = await s3FolderWith(UDACITY_SAMPLE);
  try {
    for (const [bucket, folder] of Object.entries(options.links ?? {})) await symlink(folder, join(s3Root, bucket), 'dir');
    const buckets = options.buckets?.(s3Root);
    const server = await startEmulatorServer({ ...options.server, s3Dir: s3Root, tempDataDir: true, ...(buckets ? { buckets } : {}) });
    return {
      server,
      s3Root,
      close: async () => {
        await server.close();
        await removeDir(s3Root);
      },
    };
  } catch (error) {
    await removeDir(s3Root);
    throw error;
  }
}

export async function tempDir(prefix = 'sparkify-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** A writable copy of a data folder, for tests that break files. */
export async function copyDataset(from: string, to: string): Promise<string> {
  await cp(from, to, { recursive: true });
  return to;
}

export interface PipelineRun extends RunOutcome {
  events: RunEvent[];
}

/** Runs a pipeline file in-process, as `sparkify run` does, collecting its events. */
export async function runPipelineFile(file: string, params: Record<string, string>): Promise<PipelineRun> {
  const container = createRootContainer({});
  const loaded = await loadPipelineFile(file, { registry: registryOf(container), params, cwd: process.cwd(), env: {} });
  const events = new EventBus();
  const seen: RunEvent[] = [];
  events.subscribe((event) => seen.push(event));
  const outcome = await runPipeline(loaded, { container, events });
  return { ...outcome, events: seen };
}

/** Runs one query on the pipeline's first sink. */
export async function queryPipeline(file: string, params: Record<string, string>, sql: string): Promise<Record<string, QueryValue>[]> {
  const container = createRootContainer({});
  const loaded = await loadPipelineFile(file, { registry: registryOf(container), params, cwd: process.cwd(), env: {} });
  const instances = await instantiate(loaded, container.createChildContainer());
  try {
    const sink = [...instances.sinks.values()][0]!;
    return (await sink.query(sql)).rows;
  } finally {
    await closeAll(instances);
  }
}

export const SPARKIFY_TABLES = ['staging_events', 'staging_songs', 'songplays', 'users', 'songs', 'artists', 'time'] as const;

/** Every row of every table, in a total order: two warehouses are equal iff their dumps are. */
export async function dumpWarehouse(file: string, params: Record<string, string>): Promise<Record<string, unknown[]>> {
  const dump: Record<string, unknown[]> = {};
  for (const table of SPARKIFY_TABLES) {
    const rows = await queryPipeline(file, params, `SELECT * FROM "${table}"`);
    dump[table] = rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).sort();
  }
  return dump;
}
