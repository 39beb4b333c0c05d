/**
 * docs/examples/checks.ts (docs/command-line.md, "check [--deploy] and the system checks"): a
 * check of your own runs when the app starts, its warning goes to the app's logger, and a
 * deployment check runs only with `deploy`, as `reinhardt check --deploy` asks.
 */
import { CapturingLogger, formatCheckReport, runChecks } from 'reinhardt';
import { buildApp } from '../../docs/examples/checks';

const W001 = '?: (myapp.W001) loginUrl is not https.\n\tHINT: Serve the login page over https.';
const W002 = "?: (myapp.W002) allowedHosts accepts any host ('*').";

describe('docs/examples/checks.ts', () => {
  test('a warning of your own check goes to the logger when the app starts', () => {
    const logger = new CapturingLogger();
    buildApp({ loginUrl: 'http://accounts.example.com/login/', allowedHosts: [] }, logger);
    expect(logger.records).toEqual([{ level: 'warn', name: 'reinhardt.checks', checkId: 'myapp.W001', msg: W001 }]);
  });

  test('a settled setting silences it', () => {
    const logger = new CapturingLogger();
    const app = buildApp({ loginUrl: '/accounts/login/', allowedHosts: [] }, logger);
    expect(logger.records).toEqual([]);
    expect(formatCheckReport(runChecks(app))).toBe('System check identified no issues (0 silenced).');
  });

  test('the deployment check runs only with deploy', () => {
    const app = buildApp({ loginUrl: 'http://accounts.example.com/login/', allowedHosts: ['*'] }, new CapturingLogger());
    expect(runChecks(app).map(String)).toEqual([W001]);
    const deploy = runChecks(app, { deploy: true }).map(String);
    expect(deploy).toEqual(expect.arrayContaining([W001, W002]));
    expect(deploy.filter((line) => line.startsWith('?: (myapp.'))).toEqual([W001, W002]);
  });
});
