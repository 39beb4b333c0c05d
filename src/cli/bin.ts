#!/usr/bin/env node
/**
 * The `reinhardt` executable (package.json `bin`; Django's django-admin): runs one command and
 * exits with its code. Long-running commands (runserver) keep the process alive themselves.
 */
import { callCommand } from './call-command';

callCommand(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
