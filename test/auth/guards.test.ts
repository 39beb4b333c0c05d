import { redirectToLogin } from '../../src/auth/guards';
import { alice, bob, root_, setup } from './fixtures';

describe('@LoginRequired()', () => {
  test('anonymous HTML request: 302 to loginUrl with ?next=<full path> (Django redirect_to_login)', async () => {
    const { client } = setup();
    const response = await client.get('/auth/private/?a=1&b=x y');
    expect(response.statusCode).toBe(302);
    expect(response.headers.get('Location')).toBe('/accounts/login/?next=/auth/private/%3Fa%3D1%26b%3Dx%2520y');
  });

  test('anonymous JSON request: 401 with a detail', async () => {
    const { client } = setup();
    const response = await client.get('/auth/private/', undefined, { headers: { Accept: 'application/json' } });
    expect(response.statusCode).toBe(401);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.json()).toEqual({ detail: 'Authentication credentials were not provided.' });
  });

  test('loginUrl and redirectFieldName settings; a query on the login URL is kept', async () => {
    const { client } = setup({ loginUrl: '/signin/?lang=en', redirectFieldName: 'back' });
    const response = await client.get('/auth/private/');
    expect(response.headers.get('Location')).toBe('/signin/?lang=en&back=/auth/private/');
  });

  test('a login page on another host gets the absolute URL as next', () => {
    expect(redirectToLogin('http://testserver/auth/private/', 'https://sso.example.com/login').url)
      .toBe('https://sso.example.com/login?next=http%3A//testserver/auth/private/');
  });

  test('a logged-in user reaches the handler', async () => {
    const { client } = setup();
    await client.forceLogin(bob);
    const response = await client.get('/auth/private/');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ username: 'bob' });
  });
});

describe('@PermissionRequired(perm)', () => {
  test('a user without the permission: 403', async () => {
    const { client } = setup();
    await client.forceLogin(bob);
    const response = await client.get('/auth/polls/', undefined, { headers: { Accept: 'application/json' } });
    expect(response.statusCode).toBe(403);
  });

  test('a user whose hasPerm (async) grants it, or a superuser, passes', async () => {
    const { client } = setup();
    await client.forceLogin(alice);
    expect((await client.get('/auth/polls/')).statusCode).toBe(200);
    await client.forceLogin(root_);
    expect((await client.get('/auth/polls/')).statusCode).toBe(200);
  });

  test('stacked under @LoginRequired(), an anonymous visitor is sent to log in first', async () => {
    const { client } = setup();
    const response = await client.get('/auth/polls/');
    expect(response.statusCode).toBe(302);
    expect(response.headers.get('Location')).toBe('/accounts/login/?next=/auth/polls/');
  });
});
