#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { EXIT_CODES, toPipelineError } from '@sparkify/core';
import { createRootContainer } from './composition-root.js';
import { collectParam } from './invocation.js';
import { processIo } from './output.js';
import { formatError } from './render/format-error.js';
import {
  DEFAULT_DAYS,
  DEFAULT_EVENTS,
  DEFAULT_MATCH_RATE,
  DEFAULT_SEED,
  DEFAULT_SONGS,
  DEFAULT_START_DATE,
} from '../generator/generate-dataset.js';
import { generateVerb, type GenerateArgs } from './verbs/generate-verb.js';
import { dwhVerb } from './verbs/dwh-verbs.js';
import type { EmulatorArgs } from './verbs/emulator-verb.js';
import { planVerb } from './verbs/plan-verb.js';
import { queryVerb } from './verbs/query-verb.js';
import { reportVerb } from './verbs/report-verb.js';
import { runVerb } from './verbs/run-verb.js';
import { schemaVerb } from './verbs/schema-verb.js';
import { validateVerb } from './verbs/validate-verb.js';

const EXIT_HELP = `
Exit codes:
  0    success
  ${EXIT_CODES.config}    config error (pipeline file, params, flags)
  ${EXIT_CODES.input}    input data error (malformed record, missing file...)
  ${EXIT_CODES.warehouse}    warehouse error (statement failed, unreachable)
  ${EXIT_CODES.check}    a data-quality check failed (the run was rolled back)
  ${EXIT_CODES.cancelled}  cancelled (Ctrl-C / SIGTERM; nothing committed)
  ${EXIT_CODES.internal}   internal error (a bug: please report it)`;

function paramOption(): Option {
  return new Option('-p, --param <NAME=VALUE>', 'set a pipeline param (repeatable)').argParser(collectParam).default({}, '');
}

function program(): Command {
  const container = createRootContainer();
  const io = processIo;
  const cli = new Command('sparkify')
    .description('Sparkify pipelines: load song and event JSON into a star-schema warehouse (DuckDB or Redshift)')
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_HELP)
    .exitOverride();

  cli
    .command('run')
    .description('run a pipeline: load, transform, check; all or nothing')
    .argument('<pipeline>', 'pipeline file, e.g. pipelines/local.json')
    .addOption(paramOption())
    .option('--json', 'print every event as one JSON object per line, nothing else')
    .option('-q, --quiet', 'print only errors')
    .addHelpText('after', '\nExample:\n  pnpm sparkify run pipelines/local.json --param data=./my-data --param warehouse=./dw.duckdb')
    .action(async (pipeline: string, opts: { param: Record<string, string>; json?: boolean; quiet?: boolean }) => {
      process.exitCode = await runVerb(container, { pipeline, params: opts.param, json: opts.json, quiet: opts.quiet }, io);
    });

  cli
    .command('validate')
    .description('check a pipeline file offline: plugins, params, resources, steps, cycles, tables')
    .argument('<pipeline>', 'pipeline file')
    .addOption(paramOption())
    .option('--online', 'also check that every sink answers')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExample:\n  pnpm sparkify validate pipelines/local.json')
    .action(async (pipeline: string, opts: { param: Record<string, string>; online?: boolean; json?: boolean }) => {
      process.exitCode = await validateVerb(container, { pipeline, params: opts.param, online: opts.online, json: opts.json }, io);
    });

  cli
    .command('plan')
    .description('show the step DAG and the exact SQL each step would send (secrets redacted)')
    .argument('<pipeline>', 'pipeline file')
    .addOption(paramOption())
    .option('--json', 'print the plan as JSON')
    .addHelpText('after', '\nExample:\n  pnpm sparkify plan pipelines/local.json')
    .action(async (pipeline: string, opts: { param: Record<string, string>; json?: boolean }) => {
      process.exitCode = await planVerb(container, { pipeline, params: opts.param, json: opts.json }, io);
    });

  cli
    .command('query')
    .description("run one SQL statement on the pipeline's warehouse")
    .argument('<pipeline>', 'pipeline file')
    .argument('<sql>', 'the statement')
    .addOption(paramOption())
    .option('--sink <name>', 'which sink resource (default: the one the steps use)')
    .option('--json', 'print only a JSON array of row objects')
    .addHelpText('after', `\nExample:\n  pnpm sparkify query pipelines/local.json "SELECT level, COUNT(*) FROM users GROUP BY level"`)
    .action(async (pipeline: string, sql: string, opts: { param: Record<string, string>; json?: boolean; sink?: string }) => {
      process.exitCode = await queryVerb(container, { pipeline, sql, params: opts.param, json: opts.json, sink: opts.sink }, io);
    });

  cli
    .command('report')
    .description("answer the analysts' questions from the pipeline's warehouse: tables, --json, or an HTML page with charts")
    .argument('<pipeline>', 'pipeline file, e.g. pipelines/local.json')
    .addOption(paramOption())
    .option('--html <file>', 'also write a self-contained HTML page with charts (no network needed to view it)')
    .option('--json', "print only one JSON document with every question's rows")
    .option('--sink <name>', 'which sink resource (default: the one the steps use)')
    .addHelpText('after', '\nExamples:\n  pnpm sparkify report pipelines/local.json --html report.html\n  pnpm sparkify report pipelines/local.json --json > report.json')
    .action(async (pipeline: string, opts: { param: Record<string, string>; html?: string; json?: boolean; sink?: string }) => {
      process.exitCode = await reportVerb(container, { pipeline, params: opts.param, html: opts.html, json: opts.json, sink: opts.sink }, io);
    });

  cli
    .command('generate')
    .description('write a deterministic Sparkify data set in the original layout (song_data/, log_data/, log_json_path.json)')
    .requiredOption('-o, --out <dir>', 'output folder')
    .option('--events <n>', 'number of log events', String(DEFAULT_EVENTS))
    .option('--songs <n>', 'number of song files', String(DEFAULT_SONGS))
    .option('--seed <n>', 'random seed: the same options and seed give the same bytes', String(DEFAULT_SEED))
    .option('--days <n>', 'days of logs, one file a day', String(DEFAULT_DAYS))
    .option('--start-date <YYYY-MM-DD>', 'the first day of logs', DEFAULT_START_DATE)
    .option('--match-rate <0..1>', "share of 'NextSong' events that match a generated song", String(DEFAULT_MATCH_RATE))
    .option('--overwrite', 'replace song_data/, log_data/ and log_json_path.json if the folder has them')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExample:\n  pnpm sparkify generate --out /tmp/sparkify-1m --events 1000000 --songs 10000')
    .action(async (opts: GenerateArgs) => {
      process.exitCode = await generateVerb(opts, io);
    });

  for (const job of ['create-tables', 'etl'] as const) {
    cli
      .command(job)
      .description(
        job === 'create-tables'
          ? 'the original create_tables script: drop, then create, every table on the Redshift cluster of dwh.cfg'
          : 'the original etl script: COPY from S3 into staging, then build the star schema (and check it) on the cluster of dwh.cfg',
      )
      .option('-c, --config <file>', 'the original config file', 'dwh.cfg')
      .option('--endpoint <url>', 'a Data API and S3 endpoint instead of AWS, e.g. the local emulator')
      .addOption(paramOption())
      .option('--json', 'print every event as one JSON object per line, nothing else')
      .option('-q, --quiet', 'print only errors')
      .addHelpText('after', `\nExample:\n  pnpm sparkify ${job} --config dwh.cfg --endpoint http://127.0.0.1:4566`)
      .action(async (opts: { config: string; endpoint?: string; param: Record<string, string>; json?: boolean; quiet?: boolean }) => {
        process.exitCode = await dwhVerb(container, job, { ...opts, params: opts.param }, io);
      });
  }

  cli
    .command('emulator')
    .description('run a local Redshift (Data API on PGlite) and S3 on one port, for the Redshift pipeline without AWS')
    .option('--port <n>', 'port on 127.0.0.1 (0: any free port)', '4566')
    .option('--s3-dir <dir>', 'folder served as S3: one bucket per sub-folder')
    .option('--data-dir <dir>', 'keep the database in this folder (default: a temporary folder, removed on exit)')
    .option('--fault-rate <r>', 'answer this fraction of Data API calls with ThrottlingException')
    .option('--latency <ms>', 'delay every statement by this many milliseconds')
    .addHelpText('after', '\nExample:\n  mkdir -p /tmp/s3 && ln -s "$PWD/data/sample" /tmp/s3/udacity-dend\n  pnpm sparkify emulator --s3-dir /tmp/s3 --port 4566')
    .action(async (opts: EmulatorArgs) => {
      // Loaded here: PGlite and the Postgres parser are for this verb only.
      const { emulatorVerb } = await import('./verbs/emulator-verb.js');
      process.exitCode = await emulatorVerb(opts, io);
    });

  cli
    .command('schema')
    .description('print the JSON Schema of pipeline files (every plugin included), for editors')
    .option('-o, --out <file>', 'write it to a file instead')
    .addHelpText('after', '\nExample:\n  pnpm sparkify schema --out schema/pipeline.schema.json')
    .action(async (opts: { out?: string }) => {
      process.exitCode = await schemaVerb(container, opts, io);
    });

  return cli;
}

async function main(argv: string[]): Promise<void> {
  // The pinned AWS SDK supports Node 20; its notice is about releases we do not use, and
  // nothing but events and errors may print.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  try {
    await program().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed the message (and a suggestion for unknown verbs or flags).
      process.exitCode = error.exitCode === 0 ? 0 : EXIT_CODES.config;
      return;
    }
    const pipelineError = toPipelineError(error);
    process.stderr.write(`${formatError(pipelineError)}\n`);
    process.exitCode = pipelineError.exitCode;
  }
}

await main(process.argv);
