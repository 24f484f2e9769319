// The CLI as one plain-JavaScript file, built from the TypeScript sources with esbuild and
// rebuilt whenever a source it was built from changes. Plain JavaScript on purpose: this is what
// lets `pnpm sparkify` start in a fraction of the time a TypeScript loader needs (about 0.4 s
// against 1–2 s), and start-up counts in every run.
import { accessSync, constants, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PACKAGE = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = resolve(PACKAGE, '../..');
const ENTRY = join(PACKAGE, 'src/cli/main.ts');
/** The JSON parse worker's module (redshift-json's ParsePool starts it on threads of its own). */
const PARSE_WORKER_ENTRY = fileURLToPath(import.meta.resolve('@sparkify/redshift-json/parse-worker'));
/**
 * Same depth below the repository as src/cli/main.ts: the few modules that find repository
 * files from their own location (bundled-pipelines.ts) find them from the bundle too.
 */
export const DEFAULT_OUT_DIR = join(PACKAGE, 'dist/cli');

/**
 * Files whose change makes a bundle stale besides its own inputs: the lockfile and pnpm's
 * install record (the bundle imports installed packages by absolute path) and this builder.
 */
const ALSO_DEPENDS_ON = [join(ROOT, 'pnpm-lock.yaml'), join(ROOT, 'node_modules/.modules.yaml'), fileURLToPath(import.meta.url)];

/** `{ path: "mtimeMs:size" }`, or undefined for a file that is gone. */
function stamp(path) {
  try {
    const info = statSync(path);
    return `${info.mtimeMs}:${info.size}`;
  } catch {
    return undefined;
  }
}

function isFresh(bundle, manifest) {
  let recorded;
  try {
    recorded = JSON.parse(readFileSync(manifest, 'utf8'));
  } catch {
    return false;
  }
  if (stamp(bundle) === undefined) return false;
  return Object.entries(recorded).every(([path, was]) => stamp(resolve(ROOT, path)) === was);
}

/**
 * Small pure-JavaScript packages every run loads, compiled in with the workspace packages: Node
 * loads an installed package file by file (zod alone is some 60 modules, about 40 ms), a bundle
 * in one read. (One copy each: nothing outside the bundle shares tsyringe's container.)
 */
const COMPILED_IN = ['zod', 'commander', 'tsyringe', 'reflect-metadata', 'tslib'];

const compiledIn = (specifier) => COMPILED_IN.some((name) => specifier === name || specifier.startsWith(`${name}/`));

/**
 * Other third-party imports stay imports, of the file pnpm installed for the importing package
 * (resolved here, since the bundle's folder sees none of the workspace packages' own
 * node_modules): native addons (DuckDB), and what loads at first use (the AWS SDK, PGlite).
 * Workspace packages (@sparkify/*) are compiled in.
 */
const externalInstalledPackages = {
  name: 'external-installed-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith('@sparkify/') || args.pluginData === 'resolving' || compiledIn(args.path)) return undefined;
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      const found = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: 'resolving' });
      if (found.errors.length > 0) return { errors: found.errors };
      if (REQUIRED.includes(args.path)) return { path: found.path, namespace: 'required' };
      return { path: pathToFileURL(found.path).href, external: true };
    });
    // A CommonJS package imported as ESM is parsed first by Node for its export names, module by
    // module (DuckDB's client: about 40 ms at every start); required, it is not.
    build.onLoad({ filter: /.*/, namespace: 'required' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
    build.onResolve({ filter: /.*/, namespace: 'required' }, (args) => ({ path: args.path, external: true }));
  },
};

/** CommonJS packages every run loads, required rather than imported (see above). */
const REQUIRED = ['@duckdb/node-api', '@duckdb/node-bindings'];

async function build(bundle, manifest) {
  const { build: esbuild } = await import('esbuild');
  // Split at dynamic imports, so that what a verb or plugin loads at first use (the AWS SDK,
  // PGlite) is a chunk of its own, imported then. Chunk names carry their content's hash: a new
  // build never overwrites a chunk that a running CLI of an older build may still import.
  // The parse worker is a second entry, named anew by each build (beside the chunks, pruned with
  // them): a CLI of an older build never starts a newer worker. The pool is told its file URL
  // (absolute, as the bundle's imports of installed packages are): the pool's own code may land
  // in a chunk, so it could not find the worker relative to itself.
  const worker = `chunks/parse-worker-${Date.now().toString(36)}-${process.pid}`;
  const result = await esbuild({
    entryPoints: { [`${basename(bundle, '.mjs')}.${process.pid}`]: ENTRY, [worker]: PARSE_WORKER_ENTRY },
    define: { SPARKIFY_PARSE_WORKER_URL: JSON.stringify(pathToFileURL(join(dirname(bundle), `${worker}.mjs`)).href) },
    outdir: dirname(bundle),
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    tsconfig: join(ROOT, 'tsconfig.base.json'),
    // The compiled-in CommonJS packages (commander, tsyringe) require Node's built-in modules.
    banner: { js: "import { createRequire as __sparkifyCreateRequire } from 'node:module';\nconst require = __sparkifyCreateRequire(import.meta.url);" },
    metafile: true,
    logLevel: 'error',
    plugins: [externalInstalledPackages],
  });
  const inputs = [...Object.keys(result.metafile.inputs).map((input) => resolve(ROOT, input)), ...ALSO_DEPENDS_ON];
  const stamps = Object.fromEntries(inputs.map((path) => [relative(ROOT, path), stamp(path)]).filter(([, was]) => was !== undefined));
  // Renamed into place: a second launch at the same moment reads a whole bundle, never half of one.
  renameSync(join(dirname(bundle), `${basename(bundle, '.mjs')}.${process.pid}.mjs`), bundle);
  writeFileSync(`${manifest}.${process.pid}.tmp`, JSON.stringify(stamps));
  renameSync(`${manifest}.${process.pid}.tmp`, manifest);
  pruneChunks(dirname(bundle), new Set(Object.keys(result.metafile.outputs).map((output) => resolve(ROOT, output))));
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Chunks of earlier builds, once no CLI started a day ago can still be importing them. */
function pruneChunks(outDir, current) {
  const folder = join(outDir, 'chunks');
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (current.has(path)) continue;
    const built = statSync(path, { throwIfNoEntry: false });
    if (built && Date.now() - built.mtimeMs > DAY_MS) rmSync(path, { force: true });
  }
}

/** The bundle's path, built first if missing or stale. */
export async function ensureCliBundle(outDir = DEFAULT_OUT_DIR) {
  const bundle = join(outDir, 'main.mjs');
  const manifest = join(outDir, 'main.inputs.json');
  if (isFresh(bundle, manifest)) return bundle;
  if (!writable(outDir)) {
    // A checkout this user cannot write (read-only, another owner): build under the temp folder.
    if (outDir === DEFAULT_OUT_DIR) return ensureCliBundle(join(tmpdir(), `sparkify-cli-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}`));
    throw new Error(`cannot build the CLI bundle: ${outDir} is not writable`);
  }
  await build(bundle, manifest);
  return bundle;
}

function writable(outDir) {
  try {
    mkdirSync(join(outDir, 'chunks'), { recursive: true });
    accessSync(outDir, constants.W_OK);
    accessSync(join(outDir, 'chunks'), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
