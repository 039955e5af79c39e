#!/usr/bin/env node
import { ensureError } from '../shared/ports/index.js';
import { main } from './run.js';
import { EXIT } from './exit-codes.js';

main(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`autopilot-medic: ${ensureError(err).message}\n`);
    process.exitCode = EXIT.aborted;
  },
);
