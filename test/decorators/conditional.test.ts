import 'reflect-metadata';
// 4xx/5xx answers are logged (reinhardt.request): captured, not written to the test output.
import '../logging/root-logger';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { container } from 'tsyringe';
import {
  Condition,
  Controller,
  createApp,
  ETag,
  Get,
  HttpResponse,
  ImproperlyConfigured,
  LastModified,
  Put,
  Client,
  type HttpRequest,
} from '../../src';

// Issue 19 item 3: Django's conditional view processing (django/views/decorators/http.py
// `condition`, `etag`, `last_modified`). RFC 9110 §13.2.2: preconditions are evaluated before the
// request's action, so a PUT with a stale If-Match changes nothing.

/** A stored document: what the handlers change and the validator functions read. */
class Documents {
  version = 1;
  text = 'first';
  updatedAt = new Date('2024-03-04T05:06:07.890Z');
  writes = 0;
  reads = 0;
}

const UPDATED_AT = 'Mon, 04 Mar 2024 05:06:07 GMT';
let docs: Documents;

function build(...controllers: Function[]) {
  return new Client(createApp({ controllers, container: container.createChildContainer(), settings: { secretKey: 's' } }));
}

@Controller('/docs')
class DocumentController {
  @Get('/<int:id>/')
  @Condition({ etag: (_request, { id }) => `doc${id}-v${docs.version}`, lastModified: () => docs.updatedAt })
  read(_request: HttpRequest, id: number) {
    docs.reads++;
    return { id, text: docs.text };
  }

  @Put('/<int:id>/')
  @ETag((_request, { id }) => `"doc${id}-v${docs.version}"`)
  write(request: HttpRequest) {
    docs.writes++;
    docs.version++;
    docs.text = String((request.data as { text: string }).text);
    return { text: docs.text };
  }

  @Put('/<int:id>/dated/')
  @LastModified(async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return docs.updatedAt;
  })
  writeDated(request: HttpRequest) {
    docs.writes++;
    docs.text = String((request.data as { text: string }).text);
    return { text: docs.text };
  }

  @Get('/<int:id>/weak/')
  @ETag(() => 'W/"weak-1"')
  weak() {
    docs.reads++;
    return { weak: true };
  }

  @Get('/missing/')
  @ETag(() => null)
  missing() {
    docs.reads++;
    return { missing: true };
  }
}

/** No decorator: the handler sets its own validators, and the after-handler check sees them. */
@Controller('/plain')
class PlainController {
  @Put('/')
  write(request: HttpRequest) {
    docs.writes++;
    docs.text = String((request.data as { text: string }).text);
    return new HttpResponse('saved', { headers: { ETag: `"v${docs.version}"` } });
  }

  @Get('/')
  read() {
    docs.reads++;
    return new HttpResponse('page', { headers: { ETag: `"v${docs.version}"` } });
  }
}

beforeEach(() => {
  docs = new Documents();
});

describe('@ETag / @Condition: If-Match is checked before a PUT runs (RFC 9110 §13.1.1)', () => {
  test('a stale If-Match: 412 and the handler did not run, so nothing changed', async () => {
    const client = build(DocumentController);
    const response = await client.put('/docs/7/', { text: 'second' }, { json: true, headers: { 'If-Match': '"doc7-v0"' } });
    expect(response.statusCode).toBe(412);
    expect(response.body.toString()).toBe('');
    expect(docs.writes).toBe(0);
    expect(docs.text).toBe('first');
    // A PUT's response never carries the pre-change validators (RFC 9110 §9.3.4; Django sets them on GET/HEAD only).
    expect(response.headers.get('ETag')).toBeUndefined();
  });

  test('a matching If-Match: the handler runs', async () => {
    const client = build(DocumentController);
    const response = await client.put('/docs/7/', { text: 'second' }, { json: true, headers: { 'If-Match': '"doc7-v1"' } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ text: 'second' });
    expect(docs.writes).toBe(1);
    expect(response.headers.get('ETag')).toBeUndefined();
  });

  test('If-Match compares strongly: a weak ETag never matches; * matches an existing resource', async () => {
    const client = build(DocumentController);
    expect((await client.get('/docs/7/weak/', undefined, { headers: { 'If-Match': 'W/"weak-1"' } })).statusCode).toBe(412);
    expect((await client.get('/docs/7/weak/', undefined, { headers: { 'If-Match': '*' } })).statusCode).toBe(200);
    expect((await client.get('/docs/missing/', undefined, { headers: { 'If-Match': '*' } })).statusCode).toBe(412);
    expect(docs.reads).toBe(1);
  });

  test('a PUT with If-None-Match matching the current ETag: 412, not run (§13.1.2)', async () => {
    const client = build(DocumentController);
    const response = await client.put('/docs/7/', { text: 'second' }, { json: true, headers: { 'If-None-Match': '*' } });
    expect(response.statusCode).toBe(412);
    expect(docs.writes).toBe(0);
  });
});

describe('@LastModified: If-Unmodified-Since is checked before a PUT runs (RFC 9110 §13.1.4)', () => {
  test('If-Unmodified-Since earlier than the async lastModified: 412, not run', async () => {
    const client = build(DocumentController);
    const response = await client.put('/docs/7/dated/', { text: 'second' }, { json: true, headers: { 'If-Unmodified-Since': 'Mon, 04 Mar 2024 05:06:06 GMT' } });
    expect(response.statusCode).toBe(412);
    expect(docs.writes).toBe(0);
    expect(docs.text).toBe('first');
  });

  test('If-Unmodified-Since at lastModified (its milliseconds dropped): the handler runs', async () => {
    const client = build(DocumentController);
    const response = await client.put('/docs/7/dated/', { text: 'second' }, { json: true, headers: { 'If-Unmodified-Since': UPDATED_AT } });
    expect(response.statusCode).toBe(200);
    expect(docs.writes).toBe(1);
    expect(response.headers.get('Last-Modified')).toBeUndefined();
  });
});

describe('@Condition on GET: 304 without running the handler (RFC 9110 §13.1.2, §13.1.3)', () => {
  test('If-None-Match matching: 304 carrying the computed ETag and Last-Modified, handler not run', async () => {
    const client = build(DocumentController);
    const response = await client.get('/docs/7/', undefined, { headers: { 'If-None-Match': '"other", W/"doc7-v1"' } });
    expect(response.statusCode).toBe(304);
    expect(response.body.toString()).toBe('');
    expect(response.headers.get('ETag')).toBe('"doc7-v1"');
    expect(response.headers.get('Last-Modified')).toBe(UPDATED_AT);
    expect(docs.reads).toBe(0);
  });

  test('If-Modified-Since at lastModified: 304, handler not run; HEAD behaves as GET', async () => {
    const client = build(DocumentController);
    expect((await client.get('/docs/7/', undefined, { headers: { 'If-Modified-Since': UPDATED_AT } })).statusCode).toBe(304);
    expect((await client.head('/docs/7/', undefined, { headers: { 'If-None-Match': '"doc7-v1"' } })).statusCode).toBe(304);
    expect(docs.reads).toBe(0);
  });

  test('no conditional header: the handler runs and the response carries the computed validators', async () => {
    const client = build(DocumentController);
    const response = await client.get('/docs/7/');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ id: 7, text: 'first' });
    expect(response.headers.get('ETag')).toBe('"doc7-v1"');
    expect(response.headers.get('Last-Modified')).toBe(UPDATED_AT);
  });

  test('a stale If-None-Match: the handler runs', async () => {
    const client = build(DocumentController);
    const response = await client.get('/docs/7/', undefined, { headers: { 'If-None-Match': '"doc7-v0"' } });
    expect(response.statusCode).toBe(200);
    expect(docs.reads).toBe(1);
  });

  test('an ETag function returning null: no ETag sent, and If-None-Match: * lets the handler run', async () => {
    const client = build(DocumentController);
    const response = await client.get('/docs/missing/', undefined, { headers: { 'If-None-Match': '*' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('ETag')).toBeUndefined();
    expect(docs.reads).toBe(1);
  });
});

describe('the after-handler check acts on GET and HEAD only (Django ConditionalGetMiddleware)', () => {
  test('a PUT with a stale If-Match and no decorator runs and is not turned into a 412 afterwards', async () => {
    const client = build(PlainController);
    const response = await client.put('/plain/', { text: 'second' }, { json: true, headers: { 'If-Match': '"v0"' } });
    expect(docs.writes).toBe(1);
    expect(response.statusCode).toBe(200);
    expect(response.body.toString()).toBe('saved');
  });

  test('a GET with a matching If-None-Match is still answered 304 from the response ETag', async () => {
    const client = build(PlainController);
    const response = await client.get('/plain/', undefined, { headers: { 'If-None-Match': '"v1"' } });
    expect(response.statusCode).toBe(304);
    expect(response.headers.get('ETag')).toBe('"v1"');
  });
});

describe('misuse fails at start-up, naming the method', () => {
  test('two ETag functions on one method', () => {
    expect(() => {
      @Controller()
      class TwiceController {
        @Get('/')
        @ETag(() => 'a')
        @ETag(() => 'b')
        twice() {
          return 1;
        }
      }
      return TwiceController;
    }).toThrow(new ImproperlyConfigured('TwiceController.twice has two ETag functions.'));
  });

  test('@Condition with neither function', () => {
    expect(() => {
      @Controller()
      class EmptyController {
        @Get('/')
        @Condition({})
        empty() {
          return 1;
        }
      }
      return EmptyController;
    }).toThrow(new ImproperlyConfigured('@Condition on EmptyController.empty needs an etag or a lastModified function.'));
  });

  test('a Last-Modified function returning something else than a Date: a 500 naming the route', async () => {
    @Controller('/bad')
    class BadController {
      @Get('/')
      @LastModified(() => 'yesterday' as unknown as Date)
      bad() {
        return 1;
      }
    }
    const logger = new CapturingLogger();
    const app = createApp({ controllers: [BadController], container: container.createChildContainer(), settings: { secretKey: 's' }, logger });
    const response = await new Client(app).get('/bad/');
    expect(response.statusCode).toBe(500);
    expect((logger.named('reinhardt.request', 'error')[0].err as Error).message).toContain('The @LastModified function of BadController.bad returned yesterday, not a valid Date.');
  });
});
