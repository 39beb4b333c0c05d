/** docs/examples/messages.ts (shown in docs/messages.md), run through the Client: what the guide says it does. */
import { Client } from 'reinhardt';
import { buildApp } from '../../docs/examples/messages';

describe('docs/examples/messages.ts', () => {
  test('a vote\'s messages survive the redirect in the signed cookie, show once in the template, then are gone', async () => {
    const client = new Client(buildApp(), { headers: { Host: 'localhost' } });
    const voted = await client.post('/polls/vote/', {});
    expect(voted.statusCode).toBe(302);
    expect(voted.headers.get('Location')).toBe('/polls/');
    expect(voted.cookies.get('messages')!.serialized).toMatch(/^messages=[\w.-]+%3A[0-9A-Za-z]+%3A[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(voted.cookies.has('sessionid')).toBe(false);

    const page = await client.get('/polls/');
    expect(page.text).toBe(
      '\n<ul class="messages">\n  <li class="success">Your vote was recorded.</li><li class="form warning">You did not pick a choice.</li>\n</ul>\n\n<h1>Polls</h1>\n',
    );
    expect(page.cookies.get('messages')!.serialized).toBe('messages=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax');
    expect((await client.get('/polls/')).text).toBe('\n<h1>Polls</h1>\n');
  });

  test('getMessages in code reads them with their tags', async () => {
    const client = new Client(buildApp(), { headers: { Host: 'localhost' } });
    await client.post('/polls/vote/', { choice: '1' });
    const listed = await client.get('/polls/messages.json');
    expect(listed.json()).toEqual([{ level: 25, tags: 'success', text: 'Your vote was recorded.' }]);
    expect((await client.get('/polls/messages.json')).json()).toEqual([]);
  });
});
