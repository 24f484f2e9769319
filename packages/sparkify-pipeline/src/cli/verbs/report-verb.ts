import { access, constants, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import { closeAll, ConfigError, instantiate, redact, type Sink } from '@sparkify/core';
import { renderReportHtml } from '../../report/html/report-page.js';
import { reportDocument } from '../../report/report-json.js';
import { reportQuestions } from '../../report/report-questions.js';
import { renderReportText } from '../../report/report-text.js';
import { runReport, type Report } from '../../report/run-report.js';
import { cancelOnSignals } from '../cancellation.js';
import { invocationCwd } from '../invocation.js';
import { loadFromArgs, type PipelineArgs } from '../load.js';
import type { Io } from '../output.js';
import { toJson } from '../render/text-format.js';

export type ReportArgs = PipelineArgs & { html?: string; json?: boolean; sink?: string };

/**
 * `sparkify report`: the analyst's questions, answered from the pipeline's warehouse. Tables on
 * stdout; `--json` prints one JSON document and nothing else; `--html FILE` also writes a
 * self-contained page.
 */
export async function reportVerb(container: DependencyContainer, args: ReportArgs, io: Io): Promise<number> {
  const loaded = await loadFromArgs(container, args);
  const page = args.html === undefined ? undefined : resolve(invocationCwd(), args.html);
  if (page) await checkWritable(page);
  const secrets = loaded.params.secrets;
  const instances = await instantiate(loaded, container.createChildContainer());
  const cancellation = cancelOnSignals();
  try {
    const [name, sink] = pickSink(instances.sinks, instances.usedSinks, args.sink);
    const answers = await runReport(sink, reportQuestions, {
      signal: cancellation.signal,
      secrets,
      runCommand: `pnpm sparkify run ${args.pipeline}`,
    });
    const report: Report = { pipeline: loaded.definition.name, warehouse: `${name} (${sink.dialect.name})`, generatedAt: new Date(), answers };
    const written = page ? await writePage(page, redact(renderReportHtml(report), secrets)) : undefined;
    if (args.json) io.stdout(`${redact(toJson(reportDocument(report)), secrets)}\n`);
    else io.stdout(redact(renderReportText(report, { tty: io.stdoutIsTty }), secrets));
    if (written) (args.json ? io.stderr : io.stdout)(`${args.json ? '' : '\n'}wrote ${shortPath(written)}\n`);
    return 0;
  } finally {
    cancellation.dispose();
    await closeAll(instances);
  }
}

/** Relative to where the command was typed when the file lies below it, else absolute. */
function shortPath(path: string): string {
  const rel = relative(invocationCwd(), path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

function pickSink(sinks: Map<string, Sink>, used: string[], wanted: string | undefined): [string, Sink] {
  const name = wanted ?? used[0] ?? [...sinks.keys()][0];
  const sink = name === undefined ? undefined : sinks.get(name);
  if (name === undefined || !sink) {
    throw new ConfigError(wanted ? `--sink ${wanted}: the pipeline has no such sink` : 'the pipeline declares no sink to report on', {
      hint: `sinks: ${[...sinks.keys()].join(', ') || '(none)'}`,
    });
  }
  return [name, sink];
}

/** Writes through a temporary file and a rename, so a reader never sees half a page. */
async function writePage(path: string, html: string): Promise<string> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, html, 'utf8');
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw cannotWrite(path, error);
  }
  return path;
}

/** Before the queries, which may take a while on Redshift: fail on a bad --html path at once. */
async function checkWritable(path: string): Promise<void> {
  await access(dirname(path), constants.W_OK).catch((error: unknown) => {
    throw cannotWrite(path, error);
  });
}

function cannotWrite(path: string, error: unknown): ConfigError {
  return new ConfigError(`--html ${path}: cannot write the page: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
    location: { file: path },
    cause: error,
    hint: 'give a path in a folder that exists and you can write to',
  });
}
