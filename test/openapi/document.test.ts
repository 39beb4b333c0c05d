/**
 * The whole document: valid OpenAPI 3.1 by a maintained validator (@readme/openapi-parser, which
 * also checks what the schema cannot, such as duplicate operationIds), and built once.
 */
import { validate, compileErrors } from '@readme/openapi-parser';
import { Client } from '../../src';
import { app } from './fixtures/api/app';

describe('the generated document', () => {
  test('validates against the OpenAPI 3.1 schema, with no errors and no warnings', async () => {
    const result = await validate(structuredClone(app.openapi()) as never);
    expect({ valid: result.valid, errors: result.valid ? '' : compileErrors(result), warnings: result.warnings }).toEqual({ valid: true, errors: '', warnings: [] });
  });

  test('the validator does catch a broken document (a $ref to no component, a duplicate operationId)', async () => {
    const broken = structuredClone(app.openapi()) as any;
    broken.paths['/api/polls/'].get.operationId = 'poll-create';
    broken.paths['/api/polls/{id}/'].get.responses['200'].content['application/json'].schema = { $ref: '#/components/schemas/Missing' };
    const result = await validate(broken);
    expect(result.valid).toBe(false);
  });

  test('is OpenAPI 3.1.0 with the info given, the default info otherwise', () => {
    const document = app.openapi({ title: 'Polls', version: '3.0.0', description: 'Polls and votes.' });
    expect({ openapi: document.openapi, info: document.info }).toEqual({ openapi: '3.1.0', info: { title: 'Polls', version: '3.0.0', description: 'Polls and votes.' } });
    expect(app.openapi().info).toEqual({ title: 'API', version: '1.0.0' });
  });

  test('lists the operations; the served openapi.json and docs routes and @ApiExclude routes are left out', () => {
    const operations = Object.entries(app.openapi().paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
    expect(operations).toEqual([
      'GET /api/polls/',
      'POST /api/polls/',
      'GET /api/polls/{id}/',
      'DELETE /api/polls/{id}/',
      'POST /api/polls/{id}/attachments/',
      'POST /api/polls/subscribe/{list}/',
    ]);
  });

  test('is built once: every call and every request after the first reuses it', async () => {
    expect(app.openapi().paths).toBe(app.openapi().paths);
    expect(app.openapi().components).toBe(app.openapi({ title: 'Other', version: '0' }).components);
    const openapi = jest.spyOn(app, 'openapi');
    const client = new Client(app);
    const bodies = new Set<string>();
    for (let i = 0; i < 3; i++) bodies.add((await client.get('/api/openapi.json')).text);
    // Served with the info the controller was given, serialized on the first request only.
    expect(openapi).toHaveBeenCalledTimes(1);
    expect([...bodies]).toEqual([JSON.stringify(app.openapi({ title: 'Polls', version: '1.0.0' }))]);
    openapi.mockRestore();
  });
});
