/**
 * DTO classes as JSON Schemas under `#/components/schemas/`, read from the metadata the
 * validation already runs on: class-validator's `getMetadataStorage()` for the constraints,
 * class-transformer's `@Type` and `design:type` for the property types (as
 * class-validator-jsonschema does). The properties are the decorated ones only, because the
 * validation's `whitelist` strips every other property before the handler sees it.
 *
 * Component names come from class names; a second class with a name already taken gets `_2`,
 * `_3`, ... so two DTOs named alike never share a `$ref` (STYLE.md, OpenAPI).
 */
import 'reflect-metadata';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { UploadedFile } from '../http/uploaded-file';
import { isStandardSchema, type StandardSchemaV1 } from '../validation/standard-schema';
import type { Validator } from '../validation/validator';
import { relocate, standardJsonSchema } from './standard-json-schema';
import type { SchemaObject } from './openapi-types';
import { validatorSchema } from './validator-schemas';

type Dto = Function;

/** What the document needs of one DTO property. */
interface PropertySchema {
  readonly name: string;
  readonly schema: SchemaObject;
  readonly required: boolean;
  readonly file: boolean;
}

// multipart files reach a DTO as UploadedFile instances (request.validate keeps them); in
// OpenAPI 3.1 a file part is a binary string (spec 4.8.14.3, "Considerations for File Uploads").
const BINARY: SchemaObject = { type: 'string', format: 'binary', contentMediaType: 'application/octet-stream' };

function isFileType(type: unknown): boolean {
  return typeof type === 'function' && (type === UploadedFile || type.prototype instanceof UploadedFile);
}

/** The `@Type(() => X)` of a property, or undefined. */
function transformerType(dto: Dto, property: string): Function | undefined {
  const storage = (require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage')).defaultMetadataStorage;
  const metadata = storage.findTypeMetadata(dto, property);
  return metadata?.typeFunction !== undefined ? (metadata.typeFunction() as Function) : undefined;
}

/** The registry of component schemas one document collects. */
export class DtoSchemas {
  /** `components.schemas`, filled as DTOs are referenced. */
  readonly schemas: Record<string, SchemaObject> = {};
  private readonly names = new Map<Dto | StandardSchemaV1, string>();
  private readonly builtIns = new Map<string, { schema: SchemaObject; refs: SchemaObject[] }>();

  /** `{ $ref: '#/components/schemas/<Name>' }` for `dto`, building its schema on first use. */
  ref(dto: Dto): SchemaObject {
    return { $ref: `#/components/schemas/${this.nameOf(dto)}` };
  }

  /**
   * The schema of a `@Body`/`@Query` validator: a `$ref` for a DTO class; for a Standard Schema
   * its JSON Schema, kept as a component named `fallbackName` (a schema object has no name of its
   * own), or `{}` when the library exports none.
   */
  validatorRef(validator: Validator, fallbackName: string): SchemaObject {
    if (!isStandardSchema(validator)) return this.ref(validator);
    const name = this.standardName(validator, fallbackName);
    return name === null ? {} : { $ref: `#/components/schemas/${name}` };
  }

  /** The fields of a `@Query` validator, each a query parameter. */
  validatorProperties(validator: Validator, fallbackName: string): readonly PropertySchema[] {
    if (!isStandardSchema(validator)) return this.properties(validator);
    const name = this.standardName(validator, fallbackName);
    if (name === null) return [];
    const schema = this.schemas[name];
    const properties = (schema.properties ?? {}) as Record<string, SchemaObject>;
    const required = Array.isArray(schema.required) ? (schema.required as unknown[]) : [];
    return Object.entries(properties).map(([property, propertySchema]) => ({ name: property, schema: propertySchema, required: required.includes(property), file: false }));
  }

  /** Whether a `@Body` validator has a file field (DTO classes only: a JSON Schema cannot hold an UploadedFile). */
  validatorHasFiles(validator: Validator): boolean {
    return !isStandardSchema(validator) && this.hasFiles(validator);
  }

  private standardName(validator: StandardSchemaV1, fallbackName: string): string | null {
    const known = this.names.get(validator);
    if (known !== undefined) return known;
    const schema = standardJsonSchema(validator);
    if (schema === null) return null;
    const name = this.freeName(fallbackName);
    this.names.set(validator, name);
    this.schemas[name] = relocate(schema, name);
    return name;
  }

  /** The properties of `dto` one by one (for `@Query` DTOs, whose fields are parameters). */
  properties(dto: Dto): readonly PropertySchema[] {
    const metadata = (require('class-validator') as typeof import('class-validator')).getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
    const byProperty = new Map<string, ValidationMetadata[]>();
    for (const meta of metadata) {
      const list = byProperty.get(meta.propertyName);
      if (list === undefined) byProperty.set(meta.propertyName, [meta]);
      else list.push(meta);
    }
    return Array.from(byProperty, ([name, metas]) => this.property(dto, name, metas));
  }

  /** Whether a field of `dto` is a file: then the body can only be multipart. */
  hasFiles(dto: Dto): boolean {
    return this.properties(dto).some((property) => property.file);
  }

  /**
   * A `$ref` to one of the framework's own schemas (the error shapes). Its name is chosen by
   * {@link finish}, after every DTO has its own: a DTO named `ErrorDetail` keeps that name
   * whichever route comes first, and the framework's schema moves aside.
   */
  builtIn(key: string, schema: SchemaObject): SchemaObject {
    let entry = this.builtIns.get(key);
    if (entry === undefined) this.builtIns.set(key, (entry = { schema, refs: [] }));
    const ref: SchemaObject = { $ref: '' };
    entry.refs.push(ref);
    return ref;
  }

  /** Names the framework's schemas used (see {@link builtIn}) and adds them to {@link schemas}. */
  finish(): void {
    for (const [key, { schema, refs }] of this.builtIns) {
      const name = this.freeName(key);
      this.schemas[name] = schema;
      for (const ref of refs) ref.$ref = `#/components/schemas/${name}`;
    }
    this.builtIns.clear();
  }

  private freeName(base: string): string {
    let name = base;
    for (let n = 2; Object.hasOwn(this.schemas, name); n++) name = `${base}_${n}`;
    return name;
  }

  private nameOf(dto: Dto): string {
    const known = this.names.get(dto);
    if (known !== undefined) return known;
    const base = dto.name.replace(/[^A-Za-z0-9._-]/g, '_') || 'Schema';
    const name = this.freeName(base);
    // Named and reserved before its properties are read, so a DTO that refers to itself
    // (a tree of comments) gets a $ref to itself instead of recursing forever.
    this.names.set(dto, name);
    this.schemas[name] = {};
    this.schemas[name] = this.objectSchema(dto);
    return name;
  }

  private objectSchema(dto: Dto): SchemaObject {
    const properties: Record<string, SchemaObject> = {};
    const required: string[] = [];
    for (const property of this.properties(dto)) {
      properties[property.name] = property.schema;
      if (property.required) required.push(property.name);
    }
    const schema: SchemaObject = { type: 'object', properties };
    if (required.length > 0) schema.required = required;
    return schema;
  }

  private property(dto: Dto, name: string, metas: readonly ValidationMetadata[]): PropertySchema {
    const own: SchemaObject[] = [];
    const each: SchemaObject[] = [];
    let optional = false;
    let nested = false;
    let nestedEach = false;
    for (const meta of metas) {
      if (meta.type === 'conditionalValidation' && meta.name === 'isOptional') optional = true;
      else if (meta.type === 'nestedValidation') {
        nested = true;
        nestedEach ||= meta.each === true;
      } else if (meta.type === 'customValidation') {
        const keywords = validatorSchema(meta.name, meta.constraints);
        if (keywords !== null) (meta.each === true ? each : own).push(keywords);
      }
    }
    const designType: unknown = Reflect.getMetadata('design:type', (dto as { prototype: object }).prototype, name);
    const declared = transformerType(dto, name);
    const isArray = designType === Array || nestedEach || each.length > 0;
    let schema: SchemaObject;
    if (isArray) {
      const item = declared !== undefined ? this.typeSchema(declared) : {};
      schema = { type: 'array', items: Object.assign(item, ...each) };
    } else {
      const type = declared ?? designType;
      // A validator that names the type (@IsInt on a `number`) says more than design:type does.
      schema = own.some((k) => 'type' in k) && !nested ? {} : this.typeSchema(type);
    }
    Object.assign(schema, ...own);
    const file = isFileType(declared ?? designType);
    if (file) Object.assign(schema, BINARY);
    return { name, schema, required: !optional, file };
  }

  /** The schema of a declared type: a JSON type, a file, or a $ref to another DTO. */
  private typeSchema(type: unknown): SchemaObject {
    if (type === String) return { type: 'string' };
    if (type === Number) return { type: 'number' };
    if (type === Boolean) return { type: 'boolean' };
    if (type === Date) return { type: 'string', format: 'date-time' };
    if (type === Array) return { type: 'array' };
    if (isFileType(type)) return { ...BINARY };
    if (typeof type === 'function' && type !== Object) return this.ref(type);
    return {};
  }
}
