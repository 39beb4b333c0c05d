import 'reflect-metadata';
import { container } from 'tsyringe';
import { Controller, Get, Post, createApp, ImproperlyConfigured } from '../../src';

function build(...controllers: Function[]) {
  return () => createApp({ controllers, middleware: [], container: container.createChildContainer(), settings: { secretKey: 's' } });
}

describe('decorator misuse fails at start-up, naming the class and method', () => {
  test('duplicate route', () => {
    @Controller('/dup')
    class DuplicateController {
      @Get('/x/') first() { return 1; }
      @Get('/x/') second() { return 2; }
    }
    expect(build(DuplicateController)).toThrow(ImproperlyConfigured);
    expect(build(DuplicateController)).toThrow(/DuplicateController\.second \(GET \/dup\/x\/\)/);
  });

  test('unknown converter', () => {
    @Controller()
    class ConverterController {
      @Get('/<money:amount>/') pay() { return 1; }
    }
    expect(build(ConverterController)).toThrow(/ConverterController\.pay .*money/);
  });

  test('two routes with the same name', () => {
    @Controller()
    class NamedController {
      @Get('/a/', { name: 'same' }) a() { return 1; }
      @Post('/b/', { name: 'same' }) b() { return 2; }
    }
    expect(build(NamedController)).toThrow(/NamedController\.b .*same/);
  });

  test('a class that is not a controller', () => {
    class Plain {}
    expect(build(Plain)).toThrow('Plain is not a controller: decorate it with @Controller().');
  });

  test('a controller without routes', () => {
    @Controller('/empty')
    class EmptyController {}
    expect(build(EmptyController)).toThrow('Controller EmptyController declares no routes (use @Get, @Post, ...).');
  });

  test('settings are validated at start with a clear error', () => {
    @Controller()
    class OkController {
      @Get('/') ok() { return 1; }
    }
    expect(() => createApp({ controllers: [OkController], container: container.createChildContainer() })).toThrow(
      'The secretKey setting must not be empty when debug is false.',
    );
    expect(() =>
      createApp({ controllers: [OkController], container: container.createChildContainer(), settings: { secretKey: 's', dataUploadMaxMemorySize: -1 } }),
    ).toThrow('The dataUploadMaxMemorySize setting must be a non-negative integer or null.');
    expect(() =>
      createApp({ controllers: [OkController], container: container.createChildContainer(), settings: { secretKey: 's', colour: 'red' } as never }),
    ).toThrow("Unknown setting 'colour'.");
  });
});
