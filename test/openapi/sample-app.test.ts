/**
 * The sample app's OpenAPI document (issue 24, "Done when"): valid OpenAPI 3.1 by
 * @readme/openapi-parser, with the JSON API's operations described from its DTOs, served at
 * /api/openapi.json with Swagger UI at /api/docs/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileErrors, validate } from '@readme/openapi-parser';
import { Client } from '../../src';
import { buildApp, type BuiltApp } from '../../sample-app/app';

describe("the sample app's document", () => {
  let dataDir: string;
  let built: BuiltApp;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'reinhardt-openapi-'));
    built = buildApp({ dataDir, secretKey: 'openapi-sample-secret' });
  });

  afterAll(() => {
    built?.db.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('validates against the OpenAPI 3.1 schema', async () => {
    const result = await validate(structuredClone(built.app.openapi({ title: 'Polls', version: '1.0.0' })) as never);
    expect({ valid: result.valid, errors: result.valid ? '' : compileErrors(result), warnings: result.warnings }).toEqual({ valid: true, errors: '', warnings: [] });
  });

  test('describes the JSON API: listing and creating polls, the body from CreatePollDto', () => {
    const polls = built.app.openapi().paths['/api/polls/'];
    expect(Object.keys(polls)).toEqual(['get', 'post']);
    expect(polls.post!.requestBody!.content['application/json']).toEqual({ schema: { $ref: '#/components/schemas/CreatePollDto' } });
  });

  test('serves the document at /api/openapi.json and Swagger UI at /api/docs/', async () => {
    const client = new Client(built.app);
    const served = await client.get('/api/openapi.json');
    expect(served.statusCode).toBe(200);
    expect(served.json()).toEqual(JSON.parse(JSON.stringify(built.app.openapi({ title: 'Polls', version: '1.0.0' }))));
    const page = await client.get('/api/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.text).toContain('<title>Polls documentation</title>');
  });
});
