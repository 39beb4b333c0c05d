/**
 * With the default middleware, a failure raised while checking CSRF (the CSRF 403, the 413 of a
 * form over `dataUploadMaxMemorySize`) renders with the signed-in user, as in Django, where
 * CsrfViewMiddleware checks in `process_view`, after AuthenticationMiddleware has set
 * `request.user` (issue 26 item 3: "the site header shows the signed-in user correctly on every
 * error page").
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { container as root } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { Post } from '../../decorators/route';
import { createApp } from '../../src/core/application';
import { UserProvider } from '../../src/auth/user-provider';
import { SessionStore } from '../../src/sessions/session-store';
import { MemorySessionStore } from '../../src/sessions/memory-session-store';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { Client } from '../../src/testing/client';

const ada = { id: 7, username: 'ada' };

class Users implements UserProvider<{ id: number }> {
  async getUser(id: string) {
    return Number(id) === ada.id ? ada : null;
  }
  getUserId(user: { id: number }) {
    return String(user.id);
  }
}

@Controller('/f')
class FormController {
  @Post('/')
  submit() {
    return 'accepted';
  }
}

const dir = mkdtempSync(join(tmpdir(), 'reinhardt-default-stack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HEADER = '{% if user.isAuthenticated %}Signed in as {{ user.username }}{% else %}Log in{% endif %}';
writeFileSync(join(dir, '403_csrf.html'), `csrf|${HEADER}`);
writeFileSync(join(dir, '413.html'), `too large|${HEADER}`);

async function signedInClient(): Promise<Client> {
  const container = root.createChildContainer();
  container.registerInstance(SessionStore, new MemorySessionStore());
  container.registerInstance(UserProvider, new Users());
  const app = createApp({
    controllers: [FormController],
    container,
    settings: { secretKey: 's', templatesDir: dir, dataUploadMaxMemorySize: 100 },
    logger: new CapturingLogger(),
  });
  const client = new Client(app, { enforceCsrfChecks: true });
  await client.forceLogin(ada);
  return client;
}

describe('error pages raised by the CSRF check, default middleware', () => {
  test('the CSRF failure page shows the signed-in user', async () => {
    const client = await signedInClient();
    const response = await client.post('/f/', { a: '1' });
    expect(response.statusCode).toBe(403);
    expect(response.body.toString()).toBe('csrf|Signed in as ada');
  });

  test('the 413 of a form too large to check shows the signed-in user', async () => {
    const client = await signedInClient();
    client.cookies.set('csrftoken', 'abcdefghijklmnopqrstuvwxyzABCDEF'); // the token is in the form, past the limit
    const response = await client.post('/f/', { a: 'x'.repeat(200) });
    expect(response.statusCode).toBe(413);
    expect(response.body.toString()).toBe('too large|Signed in as ada');
  });
});
