/**
 * Imported first by a test whose apps are built by code it does not control (the docs examples,
 * some at import time): registers a CapturingLogger under LOGGER in tsyringe's root container,
 * which every app whose container descends from it takes when `createApp` is given no logger
 * (docs/logging.md). Jest gives each test file its own module registry, so this stays in the file.
 */
import 'reflect-metadata';
import { container } from 'tsyringe';
import { LOGGER } from '../../src/logging/logger';
import { CapturingLogger } from '../../src/testing/capturing-logger';

export const rootLogger = new CapturingLogger();
container.registerInstance(LOGGER, rootLogger);
