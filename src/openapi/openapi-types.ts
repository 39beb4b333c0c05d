/**
 * The parts of an OpenAPI 3.1 document (https://spec.openapis.org/oas/v3.1.0) that Reinhardt
 * writes. Schemas are JSON Schema 2020-12 objects, kept as plain records: the builder writes only
 * the keywords it knows, and a custom converter's `schema` is passed through as declared.
 */

/** A JSON Schema (OpenAPI 3.1's Schema Object is JSON Schema 2020-12). */
export type SchemaObject = { [keyword: string]: unknown };

/** The document's `info`: what the API is called and its version. */
export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: SchemaObject;
  description?: string;
}

export interface MediaTypeObject {
  schema: SchemaObject;
}

export interface RequestBodyObject {
  required: boolean;
  content: Record<string, MediaTypeObject>;
}

export interface HeaderObject {
  description?: string;
  schema: SchemaObject;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, HeaderObject>;
  content?: Record<string, MediaTypeObject>;
}

/** An alternative in `security`: every scheme named in one object is required together. */
export type SecurityRequirementObject = Record<string, string[]>;

export interface OperationObject {
  operationId: string;
  tags: string[];
  summary?: string;
  description?: string;
  deprecated?: boolean;
  parameters?: ParameterObject[];
  requestBody?: RequestBodyObject;
  responses: Record<string, ResponseObject>;
  security?: SecurityRequirementObject[];
}

export type PathItemObject = Partial<Record<'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace', OperationObject>>;

export type SecuritySchemeObject =
  | { type: 'apiKey'; in: 'cookie' | 'header'; name: string; description?: string }
  | { type: 'http'; scheme: string; description?: string };

export interface TagObject {
  name: string;
}

/** An OpenAPI 3.1 document, as `app.openapi()` returns it. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: OpenApiInfo;
  paths: Record<string, PathItemObject>;
  components: {
    schemas: Record<string, SchemaObject>;
    securitySchemes?: Record<string, SecuritySchemeObject>;
  };
  tags: TagObject[];
}
