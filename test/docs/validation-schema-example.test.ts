/**
 * docs/examples/validation-schema.ts (docs/validation.md, "Zod, Valibot and other Standard
 * Schemas"), run through the test Client: the statuses and bodies asserted here are the ones the
 * guide states.
 */
// 4xx/5xx answers are logged (reinhardt.request): captured, not written to the test output.
import '../logging/root-logger';
import { Client } from 'reinhardt';
import { buildApp } from '../../docs/examples/validation-schema';

describe('docs/examples/validation-schema.ts', () => {
  const client = new Client(buildApp());

  test('a valid body becomes the schema output: trimmed, unknown keys dropped', async () => {
    const response = await client.post('/polls/', { question: ' Tabs? ', choices: [{ text: 'Tabs' }, { text: 'Spaces' }], admin: true }, { json: true });
    expect([response.statusCode, response.json()]).toEqual([200, { question: 'Tabs?', choices: ['Tabs', 'Spaces'] }]);
  });

  test('a failure answers 400 with the same errors shape as a DTO', async () => {
    const response = await client.post('/polls/', { question: '', choices: [{ text: '' }] }, { json: true });
    expect(response.statusCode).toBe(400);
    expect(response.text).toBe(
      '{"errors":{"question":["Too small: expected string to have >=1 characters"],' +
        '"choices.0.text":["Too small: expected string to have >=1 characters"],' +
        '"choices":["Too small: expected array to have >=2 items"]}}',
    );
  });

  test('the query string through z.coerce and z.stringbool', async () => {
    expect((await client.get('/polls/', { page: '2', open: 'false' })).json()).toEqual({ page: 2, open: false });
    expect((await client.get('/polls/')).json()).toEqual({ page: 1 });
    const bad = await client.get('/polls/', { page: 'x' });
    expect([bad.statusCode, bad.json()]).toEqual([400, { errors: { page: ['Invalid input: expected number, received NaN'] } }]);
  });

  test('request.validate(schema) inside a handler: the typed output, or the same 400', async () => {
    const ok = await client.post('/polls/preview/', { question: 'Tea?', choices: [{ text: 'Yes' }, { text: 'No' }] }, { json: true });
    expect([ok.statusCode, ok.json()]).toEqual([200, { preview: 'Tea? (2 choices)' }]);
    const form = await client.post('/polls/preview/', { question: 'Tea?' });
    expect([form.statusCode, form.json()]).toEqual([400, { errors: { choices: ['Invalid input: expected array, received undefined'] } }]);
  });
});
