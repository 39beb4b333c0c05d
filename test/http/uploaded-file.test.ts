import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SuspiciousFileOperation } from '../../src/http/errors';
import {
  DEFAULT_CHUNK_SIZE,
  InMemoryUploadedFile,
  TemporaryUploadedFile,
  UploadedFile,
} from '../../src/http/uploaded-file';

// After Django's tests/files/tests.py (File, InMemoryUploadedFile, TemporaryUploadedFile).

let dir: string;
/** Every temporary file a test made: closed afterwards, so no read handle is left to the GC. */
const made: TemporaryUploadedFile[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'reinhardt-uploaded-file-'));
});
afterEach(async () => {
  await Promise.all(made.splice(0).map((file) => file.close()));
  rmSync(dir, { recursive: true, force: true });
});

/** 200 000 bytes with a pattern, so a misplaced read shows. */
const CONTENT = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251));

function inMemory(content = CONTENT): InMemoryUploadedFile {
  return new InMemoryUploadedFile(content, { name: 'data.bin', contentType: 'application/octet-stream', fieldName: 'f' });
}

function temporary(content = CONTENT): TemporaryUploadedFile {
  const tmp = path.join(dir, 'spilled.upload');
  writeFileSync(tmp, content, { mode: 0o600 });
  const file = new TemporaryUploadedFile(tmp, content.length, { name: 'data.bin', contentType: 'text/plain', charset: 'utf-8' });
  made.push(file);
  return file;
}

async function collect(chunks: AsyncIterable<Buffer>): Promise<number[]> {
  const sizes: number[] = [];
  for await (const chunk of chunks) sizes.push(chunk.length);
  return sizes;
}

describe.each([
  ['InMemoryUploadedFile', inMemory],
  ['TemporaryUploadedFile', temporary],
])('%s reading', (_kind, make) => {
  test('is an UploadedFile with Django`s attributes', () => {
    const file = make();
    expect(file).toBeInstanceOf(UploadedFile);
    expect(file.name).toBe('data.bin');
    expect(file.size).toBe(200_000);
    expect(String(file)).toBe('data.bin');
  });

  test('read(n) reads on from the current position, read() the rest, then empty', async () => {
    const file = make();
    expect(await file.read(10)).toEqual(CONTENT.subarray(0, 10));
    expect(file.tell()).toBe(10);
    expect(await file.read(5)).toEqual(CONTENT.subarray(10, 15));
    expect(await file.read()).toEqual(CONTENT.subarray(15));
    expect(await file.read()).toEqual(Buffer.alloc(0));
    expect(await file.read(10)).toEqual(Buffer.alloc(0));
    file.seek(199_995);
    expect(await file.read(100)).toEqual(CONTENT.subarray(199_995));
  });

  test('chunks() yields 64 KiB pieces from the start, whatever was read before', async () => {
    const file = make();
    await file.read(1000);
    expect(DEFAULT_CHUNK_SIZE).toBe(65_536);
    expect(await collect(file.chunks())).toEqual([65_536, 65_536, 65_536, 3392]);
    const joined: Buffer[] = [];
    for await (const chunk of file.chunks(30_000)) joined.push(chunk);
    expect(joined.map((c) => c.length)).toEqual([30_000, 30_000, 30_000, 30_000, 30_000, 30_000, 20_000]);
    expect(Buffer.concat(joined)).toEqual(CONTENT);
  });

  test('chunks() refuses a chunk size that is not a positive integer', async () => {
    await expect(collect(make().chunks(0))).rejects.toThrow('chunkSize must be a positive integer, not 0.');
  });

  test('multipleChunks() says whether the size passes the chunk size', () => {
    const file = make();
    expect(file.multipleChunks()).toBe(true);
    expect(file.multipleChunks(200_000)).toBe(false);
    expect(file.multipleChunks(199_999)).toBe(true);
    const small = make(Buffer.alloc(DEFAULT_CHUNK_SIZE));
    expect(small.multipleChunks()).toBe(false);
  });

  test('saveTo writes the whole content, replacing a file already there', async () => {
    const file = make();
    const target = path.join(dir, 'out', 'saved.bin');
    mkdirSync(path.dirname(target));
    writeFileSync(target, 'old');
    await file.read(100); // the position does not matter
    await file.saveTo(target);
    expect(readFileSync(target)).toEqual(CONTENT);
    expect(readdirSync(path.dirname(target))).toEqual(['saved.bin']);
  });

  test('saveTo into a missing folder fails and creates nothing', async () => {
    await expect(make().saveTo(path.join(dir, 'missing', 'saved.bin'))).rejects.toThrow('ENOENT');
    expect(existsSync(path.join(dir, 'missing'))).toBe(false);
  });

  test('saveTo onto a directory fails and removes its partial copy', async () => {
    const file = make();
    const target = path.join(dir, 'a-directory');
    mkdirSync(target);
    writeFileSync(path.join(target, 'keep'), 'x');
    await expect(file.saveTo(target)).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(dir).filter((n) => n.endsWith('.part'))).toEqual([]);
  });

  test('after close(), reading throws as a closed Python file does; close() again is harmless', async () => {
    const file = make();
    await file.close();
    await expect(file.read(1)).rejects.toThrow('I/O operation on closed file.');
    await expect(file.close()).resolves.toBeUndefined();
  });

  test('the name setter applies Django`s _set_name', () => {
    const file = make();
    file.name = '/var/tmp/renamed.txt';
    expect(file.name).toBe('renamed.txt');
    file.name = `${'n'.repeat(400)}.jpeg`;
    expect(file.name).toBe(`${'n'.repeat(250)}.jpeg`);
    expect(() => {
      file.name = '..';
    }).toThrow(SuspiciousFileOperation);
  });
});

describe('InMemoryUploadedFile', () => {
  test('has no temporary file path', () => {
    expect(() => inMemory().temporaryFilePath()).toThrow(TypeError);
    expect(() => inMemory().temporaryFilePath()).toThrow(
      "InMemoryUploadedFile 'data.bin' is held in memory and has no temporary file path; use read(), chunks() or saveTo().",
    );
  });

  test('defaults: empty content type, no charset, no extra parameters, no field name', () => {
    const file = new InMemoryUploadedFile(Buffer.from('x'), { name: 'x.txt' });
    expect(file.contentType).toBe('');
    expect(file.charset).toBeNull();
    expect(file.contentTypeExtra).toEqual({});
    expect(file.fieldName).toBeNull();
  });

  test('an empty file reads empty and yields no chunk', async () => {
    const file = inMemory(Buffer.alloc(0));
    expect(await file.read()).toEqual(Buffer.alloc(0));
    expect(await collect(file.chunks())).toEqual([]);
    expect(file.multipleChunks()).toBe(false);
  });

  test('refuses a name that leaves nothing', () => {
    expect(() => new InMemoryUploadedFile(Buffer.alloc(1), { name: '.' })).toThrow("Could not derive file name from '.'");
  });
});

describe('TemporaryUploadedFile', () => {
  test('exposes its temporary file path and metadata', () => {
    const file = temporary();
    expect(file.temporaryFilePath()).toBe(path.join(dir, 'spilled.upload'));
    expect(file.contentType).toBe('text/plain');
    expect(file.charset).toBe('utf-8');
  });

  test('close() deletes the temporary file, also after reading opened it', async () => {
    const file = temporary();
    await file.read(10);
    await file.close();
    expect(existsSync(file.temporaryFilePath())).toBe(false);
    await file.close();
  });

  test('saveTo after close() is refused', async () => {
    const file = temporary();
    await file.close();
    await expect(file.saveTo(path.join(dir, 'x'))).rejects.toThrow('I/O operation on closed file.');
    expect(existsSync(path.join(dir, 'x'))).toBe(false);
  });

  test('saveTo when the temporary file vanished fails and leaves nothing', async () => {
    const file = temporary();
    rmSync(file.temporaryFilePath());
    await expect(file.saveTo(path.join(dir, 'copy.bin'))).rejects.toThrow('ENOENT');
    expect(readdirSync(dir)).toEqual([]);
  });
});
