import { forceLogin } from '../../src/testing/force-login';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { container as root } from 'tsyringe';
import { authenticate } from '../../src/auth/backends';
import { UserProvider } from '../../src/auth/user-provider';
import { createApp } from '../../src/core/application';
import { MemorySessionStore } from '../../src/sessions/memory-session-store';
import { SessionStore } from '../../src/sessions/session-store';
import { Client } from '../../src/testing/client';
import { Accounts, AuthController, alice, bob, plain, setup } from './fixtures';

describe('login(), logout(), authenticate() and request.user', () => {
  test('anonymous by default: request.user is an AnonymousUser', async () => {
    const { client } = setup();
    expect((await client.get('/auth/me/')).json()).toEqual({ authenticated: false, anonymous: true, username: '' });
  });

  test('login changes the session key, keeps the data, deletes the old record (no fixation)', async () => {
    const { client, store } = setup();
    await client.get('/auth/visit/');
    const before = client.cookies.get('sessionid')!;
    const response = await client.post('/auth/login/', { username: 'alice', password: 'wonderland' });
    const after = response.cookies.get('sessionid')!.value;
    expect(response.json()).toEqual({ key: after, visited: true });
    expect(after).toMatch(/^[a-z0-9]{32}$/);
    expect(after).not.toBe(before);
    expect(await store.exists(before)).toBe(false);
    expect(await store.load(after)).toEqual({ visited: true, _auth_user_id: '1' });
    expect((await client.get('/auth/me/')).json()).toEqual({ authenticated: true, anonymous: false, username: 'alice' });
  });

  test('an attacker-chosen session key is not adopted by a login', async () => {
    const { client, store } = setup();
    const planted = 'attackerchosenkey000000000000000';
    client.cookies.set('sessionid', planted);
    const response = await client.post('/auth/login/', { username: 'alice', password: 'wonderland' });
    const issued = response.cookies.get('sessionid')!.value;
    expect(issued).not.toBe(planted);
    expect(await store.load(planted)).toBeNull();
    // The attacker's cookie still means nobody.
    const attacker = setup().client;
    attacker.cookies.set('sessionid', planted);
    expect((await attacker.get('/auth/me/')).json()).toMatchObject({ authenticated: false });
  });

  test('logging in as another user flushes the first user\'s session', async () => {
    const { client, store } = setup();
    await client.post('/auth/login/', { username: 'alice', password: 'wonderland' });
    const alices = client.cookies.get('sessionid')!;
    await client.post('/auth/login/', { username: 'bob', password: 'builder' });
    expect(client.cookies.get('sessionid')).not.toBe(alices);
    expect(await store.exists(alices)).toBe(false);
    expect((await client.get('/auth/me/')).json()).toMatchObject({ username: 'bob' });
  });

  test('login rotates the CSRF token', async () => {
    const { client } = setup();
    await client.get('/auth/token/');
    const before = client.cookies.get('csrftoken')!;
    const response = await client.post('/auth/login/', { username: 'alice', password: 'wonderland' });
    const after = response.cookies.get('csrftoken')!.value;
    expect(after).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(after).not.toBe(before);
  });

  test('logout deletes the server-side record and the cookie; request.user becomes anonymous', async () => {
    const { client, store } = setup();
    await client.post('/auth/login/', { username: 'alice', password: 'wonderland' });
    const key = client.cookies.get('sessionid')!;
    const response = await client.post('/auth/logout/');
    expect(response.json()).toEqual({ authenticated: false });
    expect(response.cookies.get('sessionid')!.options.maxAge).toBe(0);
    expect(await store.exists(key)).toBe(false);
    // Replaying the old cookie gets nobody.
    client.cookies.set('sessionid', key);
    expect((await client.get('/auth/me/')).json()).toMatchObject({ authenticated: false });
  });

  test('authenticate asks the backends in order; wrong credentials give null (403 here)', async () => {
    const { client } = setup();
    expect((await client.post('/auth/login/', { username: 'alice', password: 'nope' })).statusCode).toBe(403);
  });

  test('a backend raising PermissionDenied stops authenticate', async () => {
    const { client } = setup();
    const response = await client.post('/auth/login/', { username: 'banned', password: 'x' });
    expect(response.statusCode).toBe(403);
    expect(response.body.toString()).toBe('Bad credentials');
  });

  test('a plain object from the provider still reports isAuthenticated/isAnonymous', async () => {
    const { client } = setup();
    await client.post('/auth/login/', { username: 'plain', password: 'object' });
    expect((await client.get('/auth/me/')).json()).toEqual({ authenticated: true, anonymous: false, username: 'plain' });
    expect(JSON.stringify(plain)).toBe('{"id":4,"username":"plain","password":"object"}');
  });

  test('a user the provider no longer knows is anonymous', async () => {
    const { app, client } = setup();
    const cookie = await forceLogin(app, { id: 99 });
    client.cookies.set(cookie.name, cookie.value);
    expect((await client.get('/auth/me/')).json()).toMatchObject({ authenticated: false });
  });

  test('forceLogin saves a session in the app store and returns its cookie; Client.forceLogin uses it', async () => {
    const { app, client, store } = setup();
    const cookie = await forceLogin(app, bob);
    expect(cookie.name).toBe('sessionid');
    expect(await store.load(cookie.value)).toEqual({ _auth_user_id: '2' });
    await client.forceLogin(alice);
    expect((await client.get('/auth/me/')).json()).toMatchObject({ username: 'alice' });
    const key = client.cookies.get('sessionid')!;
    await client.logout();
    expect(await store.exists(key)).toBe(false);
  });

  test('a SessionStore registered with useClass (transient) is still one store per app: forceLogin and logout reach it', async () => {
    const container = root.createChildContainer();
    container.register(SessionStore, { useClass: MemorySessionStore });
    container.register(UserProvider, { useClass: Accounts });
    const app = createApp({ controllers: [AuthController], settings: { secretKey: 'k' }, container, logger: new CapturingLogger() });
    const client = new Client(app);
    await client.forceLogin(alice);
    expect((await client.get('/auth/me/')).json()).toMatchObject({ authenticated: true, username: 'alice' });
    const key = client.cookies.get('sessionid')!;
    await client.logout();
    const replay = new Client(app);
    replay.cookies.set('sessionid', key);
    expect((await replay.get('/auth/me/')).json()).toMatchObject({ authenticated: false });
    expect(container.resolve(SessionStore)).toBe(container.resolve(SessionStore));
  });

  test('authenticate(null, credentials) asks the backends of the app created last, before any request', async () => {
    setup();
    const user = await authenticate(null, { username: 'alice', password: 'wonderland' });
    expect((user as { username?: string } | null)?.username).toBe('alice');
    expect(await authenticate(null, { username: 'alice', password: 'wrong' })).toBeNull();
    expect(await authenticate(null, { username: 'banned', password: 'x' })).toBeNull();
  });

  test('without a UserProvider every request is anonymous', async () => {
    const { app, client } = setup({}, { provider: false });
    const cookie = await forceLogin(app, alice);
    client.cookies.set(cookie.name, cookie.value);
    expect((await client.get('/auth/me/')).json()).toMatchObject({ authenticated: false });
  });
});
