import { collectStatic } from 'reinhardt';
import { buildApp, type BuildAppOptions, type BuiltApp } from '../../sample-app/app';

/**
 * The sample app as `npm start` serves it: `collectstatic` has run into its `staticRoot` (under
 * `dataDir`) before the app that serves it is built, since the app walks `staticRoot` and reads
 * the manifest once, when it starts.
 */
export function buildCollectedApp(options: BuildAppOptions & { dataDir: string }): BuiltApp {
  const collector = buildApp(options);
  collectStatic(collector.app.settings);
  collector.db.close();
  return buildApp(options);
}
