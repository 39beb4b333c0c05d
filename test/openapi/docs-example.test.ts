/**
 * docs/examples/openapi.ts (docs/openapi.md), through the test Client: the document and the
 * statements the guide makes about it.
 */
// 4xx/5xx answers are logged (reinhardt.request): captured, not written to the test output.
import '../logging/root-logger';
import { validate } from '@readme/openapi-parser';
import { Client } from 'reinhardt';
import { buildApp } from '../../docs/examples/openapi';

const ERROR = { $ref: '#/components/schemas/ErrorDetail' };
const json = (description: string, schema: object) => ({ description, content: { 'application/json': { schema } } });

describe('docs/examples/openapi.ts', () => {
  const app = buildApp();
  const document = app.openapi();

  test('the document is valid OpenAPI 3.1', async () => {
    expect((await validate(structuredClone(document) as never)).valid).toBe(true);
  });

  test('GET /api/openapi.json serves it with the info given; /api/docs/ is the Swagger UI page', async () => {
    const client = new Client(app);
    expect((await client.get('/api/openapi.json')).json().info).toEqual({ title: 'Polls', version: '1.0.0' });
    expect((await client.get('/api/docs/')).text).toContain('<script src="swagger-ui-bundle.js"></script>');
  });

  test('poll-list: operationId, tag, query parameters and the array response', () => {
    expect(document.paths['/api/polls/'].get).toEqual({
      operationId: 'poll-list',
      tags: ['PollApi'],
      parameters: [
        { name: 'page', in: 'query', required: false, schema: { type: 'integer', minimum: 1 } },
        { name: 'sort', in: 'query', required: false, schema: { type: 'string', enum: ['new', 'top'] } },
      ],
      responses: {
        '200': json('OK', { type: 'array', items: { $ref: '#/components/schemas/PollDto' } }),
        '400': json('Bad Request', { $ref: '#/components/schemas/ValidationErrors' }),
      },
    });
  });

  test('poll-detail: the 200 schema from the return type, the declared 404', () => {
    expect(document.paths['/api/polls/{id}/'].get!.responses).toEqual({
      '200': json('OK', { $ref: '#/components/schemas/PollDto' }),
      '404': { description: 'No such poll.' },
    });
  });

  test('poll-create: the body, 201, and 400/401/403 with the session and CSRF requirement, none of it declared', () => {
    const create = document.paths['/api/polls/'].post!;
    expect(create.requestBody!.content['application/json']).toEqual({ schema: { $ref: '#/components/schemas/CreatePollDto' } });
    expect(Object.keys(create.responses)).toEqual(['201', '400', '401', '403']);
    expect(create.responses['401']).toEqual(json('Unauthorized', ERROR));
    expect(create.security).toEqual([{ sessionCookie: [], csrfCookie: [], csrfHeader: [] }]);
    expect(document.components.schemas.CreatePollDto).toEqual({
      type: 'object',
      properties: {
        question: { type: 'string', minLength: 5, maxLength: 200 },
        choices: { type: 'array', items: { $ref: '#/components/schemas/ChoiceDto' } },
      },
      required: ['question', 'choices'],
    });
  });

  test('the DELETE is deprecated with its summary; the subscribe route has its 429', () => {
    expect(document.paths['/api/polls/{id}/'].delete).toMatchObject({ summary: 'Delete a poll', deprecated: true, responses: { '204': { description: 'No Content' } } });
    expect(Object.keys(document.paths['/api/polls/subscribe/'].post!.responses)).toEqual(['200', '400', '403', '429']);
  });

  test('the example answers as its document says', async () => {
    const client = new Client(app);
    expect((await client.get('/api/polls/', { page: '2' })).json()).toEqual([{ id: 2, question: 'What is new?' }]);
    const anonymous = await client.post('/api/polls/', { question: 'Why?' }, { headers: { Accept: 'application/json' } });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toEqual({ detail: 'Authentication credentials were not provided.' });
  });
});
