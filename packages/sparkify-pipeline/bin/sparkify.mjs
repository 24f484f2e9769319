#!/usr/bin/env node
// `pnpm sparkify …`: runs the CLI from its plain-JavaScript bundle, rebuilt first when a source
// changed (cli-bundle.mjs), in this same process, so signals reach the run itself.
// SPARKIFY_CLI_BUNDLE_DIR puts the bundle elsewhere (tests build their own).
import { pathToFileURL } from 'node:url';
import { ensureCliBundle, DEFAULT_OUT_DIR } from './cli-bundle.mjs';

const bundle = await ensureCliBundle(process.env.SPARKIFY_CLI_BUNDLE_DIR || DEFAULT_OUT_DIR);
await import(pathToFileURL(bundle).href);
