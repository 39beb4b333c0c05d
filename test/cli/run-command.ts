/** Runs a `reinhardt` command in-process and collects what it wrote. */
import { join } from 'node:path';
import { callCommand } from '../../src/cli/call-command';

export const FIXTURES = join(__dirname, 'fixtures');

export async function run(argv: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await callCommand(argv, {
    cwd,
    env,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}
