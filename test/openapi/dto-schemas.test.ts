/**
 * class-validator constraints as JSON Schema keywords, read from class-validator's metadata
 * storage (one converter per validator, after class-validator-jsonschema), nested DTOs and arrays
 * as $refs under #/components/schemas/, and component names that never collide.
 */
import 'reflect-metadata';
import { Type } from 'class-transformer';
import * as v from 'class-validator';
import { Body, Controller, Post, UploadedFile } from '../../src';
import { documentOf } from './document-of';

enum Colour {
  Red = 'red',
  Blue = 'blue',
}
enum Level {
  Low = 1,
  High = 2,
}

class EveryValidatorDto {
  @v.IsString() string!: string;
  @v.IsInt() int!: number;
  @v.IsNumber() number!: number;
  @v.IsBoolean() boolean!: boolean;
  @v.IsEmail() email!: string;
  @v.IsUrl() url!: string;
  @v.IsUUID() uuid!: string;
  @v.IsDateString() dateString!: string;
  @v.IsISO8601() iso!: string;
  @v.IsIP('4') ip!: string;
  @v.Length(2, 20) length!: string;
  @v.MinLength(3) minLength!: string;
  @v.MaxLength(9) maxLength!: string;
  @v.IsNotEmpty() notEmpty!: string;
  @v.IsInt() @v.Min(1) @v.Max(10) ranged!: number;
  @v.IsPositive() positive!: number;
  @v.IsNegative() negative!: number;
  @v.IsIn(['draft', 'published']) status!: string;
  @v.IsEnum(Colour) colour!: Colour;
  @v.IsEnum(Level) level!: Level;
  @v.Equals('yes') agreed!: string;
  @v.Matches(/^[A-Z]{3}$/) code!: string;
  @v.IsOptional() @v.IsString() note?: string;
}

describe('each class-validator decorator as JSON Schema keywords', () => {
  @Controller()
  class EveryController {
    @Post('/') create(_r: unknown, @Body(EveryValidatorDto) _body: EveryValidatorDto) {}
  }
  const schemas = documentOf([EveryController]).components.schemas;

  test('the DTO schema, property by property, in declaration order; @IsOptional fields are not required', () => {
    expect(schemas.EveryValidatorDto).toEqual({
      type: 'object',
      properties: {
        string: { type: 'string' },
        int: { type: 'integer' },
        number: { type: 'number' },
        boolean: { type: 'boolean' },
        email: { type: 'string', format: 'email' },
        url: { type: 'string', format: 'uri' },
        uuid: { type: 'string', format: 'uuid' },
        dateString: { type: 'string', format: 'date-time' },
        iso: { type: 'string', format: 'date-time' },
        ip: { type: 'string', format: 'ipv4' },
        length: { type: 'string', minLength: 2, maxLength: 20 },
        minLength: { type: 'string', minLength: 3 },
        maxLength: { type: 'string', maxLength: 9 },
        notEmpty: { type: 'string', minLength: 1 },
        ranged: { type: 'integer', minimum: 1, maximum: 10 },
        positive: { type: 'number', exclusiveMinimum: 0 },
        negative: { type: 'number', exclusiveMaximum: 0 },
        status: { type: 'string', enum: ['draft', 'published'] },
        colour: { type: 'string', enum: ['red', 'blue'] },
        level: { type: 'number', enum: [1, 2] },
        agreed: { type: 'string', const: 'yes' },
        code: { type: 'string', pattern: '^[A-Z]{3}$' },
        note: { type: 'string' },
      },
      required: [
        'string', 'int', 'number', 'boolean', 'email', 'url', 'uuid', 'dateString', 'iso', 'ip', 'length', 'minLength', 'maxLength',
        'notEmpty', 'ranged', 'positive', 'negative', 'status', 'colour', 'level', 'agreed', 'code',
      ],
    });
  });

  test('JSON, form and multipart bodies all refer to the component', () => {
    const ref = { $ref: '#/components/schemas/EveryValidatorDto' };
    expect(documentOf([EveryController]).paths['/'].post!.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: ref }, 'application/x-www-form-urlencoded': { schema: ref }, 'multipart/form-data': { schema: ref } },
    });
  });
});

describe('nested DTOs and arrays', () => {
  class TagDto {
    @v.IsString() name!: string;
  }
  class AddressDto {
    @v.IsString() city!: string;
  }
  class CommentDto {
    @v.IsString() text!: string;
    @v.IsOptional() @v.ValidateNested({ each: true }) @Type(() => CommentDto) replies?: CommentDto[];
  }
  class ArticleDto {
    @v.ValidateNested() @Type(() => AddressDto) address!: AddressDto;
    @v.IsArray() @v.ArrayMinSize(1) @v.ArrayMaxSize(5) @v.ValidateNested({ each: true }) @Type(() => TagDto) tags!: TagDto[];
    @v.IsString({ each: true }) @v.MaxLength(10, { each: true }) @v.ArrayUnique() keywords!: string[];
    @v.IsInt({ each: true }) @v.ArrayNotEmpty() scores!: number[];
    @v.ValidateNested() @Type(() => CommentDto) comment!: CommentDto;
  }
  @Controller()
  class ArticleController {
    @Post('/') create(_r: unknown, @Body(ArticleDto) _body: ArticleDto) {}
  }
  const schemas = documentOf([ArticleController]).components.schemas;

  test('a nested DTO is a $ref to its own component; an array of them has $ref items', () => {
    expect(schemas.ArticleDto).toEqual({
      type: 'object',
      properties: {
        address: { $ref: '#/components/schemas/AddressDto' },
        tags: { type: 'array', items: { $ref: '#/components/schemas/TagDto' }, minItems: 1, maxItems: 5 },
        keywords: { type: 'array', items: { type: 'string', maxLength: 10 }, uniqueItems: true },
        scores: { type: 'array', items: { type: 'integer' }, minItems: 1 },
        comment: { $ref: '#/components/schemas/CommentDto' },
      },
      required: ['address', 'tags', 'keywords', 'scores', 'comment'],
    });
    expect(schemas.AddressDto).toEqual({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] });
    expect(schemas.TagDto).toEqual({ type: 'object', properties: { name: { type: 'string' } }, required: ['name'] });
  });

  test('a DTO that contains itself refers to itself instead of recursing', () => {
    expect(schemas.CommentDto).toEqual({
      type: 'object',
      properties: { text: { type: 'string' }, replies: { type: 'array', items: { $ref: '#/components/schemas/CommentDto' } } },
      required: ['text'],
    });
  });

  test('the components hold exactly the DTOs reached, and no #/definitions/', () => {
    expect(Object.keys(schemas).sort()).toEqual(['AddressDto', 'ArticleDto', 'CommentDto', 'TagDto', 'ValidationErrors', 'ErrorDetail'].sort());
    expect(JSON.stringify(schemas)).not.toContain('#/definitions/');
  });
});

describe('component names never collide', () => {
  const first = (() => {
    class PollDto {
      @v.IsString() question!: string;
    }
    return PollDto;
  })();
  const second = (() => {
    class PollDto {
      @v.IsInt() id!: number;
    }
    return PollDto;
  })();
  class ErrorDetail {
    @v.IsString() mine!: string;
  }
  @Controller()
  class TwinController {
    @Post('/a/') a(_r: unknown, @Body(first) _b: object) {}
    @Post('/b/') b(_r: unknown, @Body(second) _b: object) {}
    @Post('/c/') c(_r: unknown, @Body(ErrorDetail) _b: object) {}
  }
  const document = documentOf([TwinController]);

  test('two DTO classes named PollDto get PollDto and PollDto_2, each with its own fields', () => {
    expect(document.components.schemas.PollDto).toEqual({ type: 'object', properties: { question: { type: 'string' } }, required: ['question'] });
    expect(document.components.schemas.PollDto_2).toEqual({ type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] });
    expect(document.paths['/b/'].post!.requestBody!.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/PollDto_2' });
  });

  test("a DTO named like the framework's error schema keeps its name; the framework's moves aside", () => {
    expect(document.components.schemas.ErrorDetail).toEqual({ type: 'object', properties: { mine: { type: 'string' } }, required: ['mine'] });
    expect(document.components.schemas.ErrorDetail_2).toEqual({ type: 'object', properties: { detail: { type: 'string' } }, required: ['detail'] });
  });
});

describe('files', () => {
  class UploadDto {
    @v.IsString() title!: string;
    @v.IsDefined() file!: UploadedFile;
  }
  @Controller()
  class UploadController {
    @Post('/upload/') upload(_r: unknown, @Body(UploadDto) _b: UploadDto) {}
  }

  test('an UploadedFile field is a binary string, and the body is multipart only', () => {
    const document = documentOf([UploadController]);
    expect(document.components.schemas.UploadDto).toEqual({
      type: 'object',
      properties: { title: { type: 'string' }, file: { type: 'string', format: 'binary', contentMediaType: 'application/octet-stream' } },
      required: ['title', 'file'],
    });
    expect(document.paths['/upload/'].post!.requestBody).toEqual({
      required: true,
      content: { 'multipart/form-data': { schema: { $ref: '#/components/schemas/UploadDto' } } },
    });
  });
});
