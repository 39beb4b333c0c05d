import { Client } from 'reinhardt';
import { buildApp, type PollOut } from './api-tokens';

/** An API test as DRF's APIClient writes it: a token on every request, typed answers. */
export async function createPollWithToken(): Promise<{ status: number; poll: PollOut; polls: PollOut[]; withoutToken: number }> {
  const { app } = buildApp();
  const session = new Client(app);
  await session.forceLogin({ id: 1 });
  const { token } = (await session.post<{ token: string }>('/accounts/token/')).json(); // token: string

  const client = new Client(app, { token }); // Authorization: Token <token> on every request
  const created = await client.post<PollOut>('/api/polls/', { question: 'Tea or coffee?' }, { json: true });
  const poll = created.json(); // PollOut
  const polls = (await client.get<PollOut[]>('/api/polls/')).json(); // PollOut[]

  client.credentials(); // no token any more (credentials({ Authorization: '...' }) sets another)
  const refused = await client.post('/api/polls/', { question: 'Again?' }, { json: true }); // 401, WWW-Authenticate: Token
  return { status: created.statusCode, poll, polls, withoutToken: refused.statusCode };
}
