/**
 * Path patterns become OpenAPI templates and each converter a parameter schema: Django's
 * converters (django/urls/converters.py) as JSON Schema, and a custom converter's declared schema.
 */
import { Controller, Get, registerConverter } from '../../src';
import { documentOf } from './document-of';

registerConverter('yyyy', { regex: '[0-9]{4}', toPython: Number, toUrl: (v: number) => String(v), spansSegments: false, schema: { type: 'integer', minimum: 1000, maximum: 9999 } });
registerConverter('hex', { regex: '[0-9a-f]+', toPython: (v) => parseInt(v, 16), toUrl: (v: number) => v.toString(16), spansSegments: false });

@Controller('/c')
class ConverterController {
  @Get('/<int:id>/') int() {}
  @Get('/s/<str:name>/') str() {}
  @Get('/plain/<name>/') plain() {}
  @Get('/slug/<slug:slug>/') slug() {}
  @Get('/uuid/<uuid:key>/') uuid() {}
  @Get('/files/<path:rest>') path() {}
  @Get('/year/<yyyy:year>/<hex:code>/') custom() {}
}

const paths = documentOf([ConverterController]).paths;
const parametersOf = (template: string) => paths[template].get!.parameters;

describe('path converters as parameter schemas', () => {
  test('the Django pattern becomes the OpenAPI template: <int:id> -> {id}', () => {
    expect(Object.keys(paths)).toEqual(['/c/{id}/', '/c/s/{name}/', '/c/plain/{name}/', '/c/slug/{slug}/', '/c/uuid/{key}/', '/c/files/{rest}', '/c/year/{year}/{code}/']);
  });

  test('int is a non-negative integer ([0-9]+)', () => {
    expect(parametersOf('/c/{id}/')).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } }]);
  });

  test('str, and a parameter without a converter, are strings', () => {
    expect(parametersOf('/c/s/{name}/')).toEqual([{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }]);
    expect(parametersOf('/c/plain/{name}/')).toEqual([{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }]);
  });

  test("slug is a string with Django's slug pattern", () => {
    expect(parametersOf('/c/slug/{slug}/')).toEqual([{ name: 'slug', in: 'path', required: true, schema: { type: 'string', pattern: '^[-a-zA-Z0-9_]+$' } }]);
  });

  test('uuid is a string of format uuid', () => {
    expect(parametersOf('/c/uuid/{key}/')).toEqual([{ name: 'key', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }]);
  });

  test('path is a string', () => {
    expect(parametersOf('/c/files/{rest}')).toEqual([{ name: 'rest', in: 'path', required: true, schema: { type: 'string' } }]);
  });

  test('a custom converter gives its declared schema, else a string matching its regex', () => {
    expect(parametersOf('/c/year/{year}/{code}/')).toEqual([
      { name: 'year', in: 'path', required: true, schema: { type: 'integer', minimum: 1000, maximum: 9999 } },
      { name: 'code', in: 'path', required: true, schema: { type: 'string', pattern: '^(?:[0-9a-f]+)$' } },
    ]);
  });
});
