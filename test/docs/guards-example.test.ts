/**
 * docs/examples/guards.ts (docs/guards.md), run through the test Client: the statuses, headers
 * and bodies asserted here are the ones the guide states.
 */
// Records of apps built without a logger go to a capturing one, not to stderr (docs/logging.md).
import '../logging/root-logger';
import 'reflect-metadata';
import { container } from 'tsyringe';
import { Client, UserProvider } from 'reinhardt';
import { MaintenanceWindow, buildApp as buildExampleApp } from '../../docs/examples/guards';

const JSON_ACCEPT = { headers: { Accept: 'application/json' } };
const editor = { id: 1, username: 'ada', isAuthenticated: true, isAnonymous: false, hasPerm: (perm: string) => perm === 'polls.delete_poll' };
const reader = { id: 2, username: 'bob', isAuthenticated: true, isAnonymous: false, hasPerm: () => false };
const users = new Map<string, object>([['1', editor], ['2', reader]]);

/** The example's app with a UserProvider of the two users above. */
function buildApp() {
  const scope = container.createChildContainer();
  scope.registerInstance(UserProvider, { getUser: async (id: string) => users.get(id) ?? null, getUserId: (user: { id: number }) => String(user.id) } as never);
  return buildExampleApp(scope);
}

describe('docs/examples/guards.ts', () => {
  test('the class guards: anonymous visitors go to the login page; logged in, the list answers with Server-Timing', async () => {
    const client = new Client(buildApp());
    const anonymous = await client.get('/admin/polls/');
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.get('Location')).toBe('/accounts/login/?next=/admin/polls/');
    await client.forceLogin(reader);
    const page = await client.get('/admin/polls/');
    expect(page.json()).toEqual({ polls: [], user: 'bob' });
    expect(page.headers.get('Server-Timing')).toMatch(/^app;dur=\d+(\.\d+)?$/);
  });

  test('the method guards after the class guards: 403 without the permission or the team header, the handler with both', async () => {
    const client = new Client(buildApp());
    await client.forceLogin(reader);
    expect((await client.delete('/admin/polls/3/', undefined, { headers: { Accept: 'application/json', 'X-Team': 'polls' } })).statusCode).toBe(403);
    await client.forceLogin(editor);
    expect((await client.delete('/admin/polls/3/', undefined, JSON_ACCEPT)).statusCode).toBe(403);
    const deleted = await client.delete('/admin/polls/3/', undefined, { headers: { 'X-Team': 'polls' } });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toEqual({ deleted: 3 });
  });

  test('the injectable guard answers 503 with Retry-After while the maintenance window is active, naming the controller', async () => {
    const app = buildApp();
    const client = new Client(app);
    await client.forceLogin(editor);
    app.container.resolve(MaintenanceWindow).active = true;
    const response = await client.get('/admin/polls/');
    expect(response.statusCode).toBe(503);
    expect(response.headers.get('Retry-After')).toBe('120');
    expect(response.text).toBe('PollAdminController is down for maintenance.');
    expect(response.headers.has('Server-Timing')).toBe(true);
  });

  test('the exempt webhook: no CSRF token needed, the shared secret is', async () => {
    process.env.HOOK_SECRET = 's3cret';
    const client = new Client(buildApp(), { enforceCsrfChecks: true });
    expect((await client.post('/hooks/payment/', { amount: '12' }, JSON_ACCEPT)).statusCode).toBe(403);
    const paid = await client.post('/hooks/payment/', { amount: '12' }, { headers: { 'X-Hook-Secret': 's3cret' } });
    expect(paid.statusCode).toBe(200);
    expect(paid.json()).toEqual({ received: '12' });
  });

  test('DELETE /admin/polls/<int:id>/ runs its guards in this order (the list reinhardt routes prints), the class\'s first', () => {
    const row = buildApp().router.handlers().find((r) => r.method === 'DELETE')!;
    const guards = (row.value.guards ?? []).map((guard) => guard.name);
    expect(guards).toEqual(['loginRequiredGuard', 'NotDuringMaintenance', 'PermissionRequired(polls.delete_poll)', 'sameTeam']);
  });
});
