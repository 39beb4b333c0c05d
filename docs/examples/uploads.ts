import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { container } from 'tsyringe';
import { Controller, HttpRequest, HttpResponseBadRequest, Post, TemporaryUploadedFile, createApp } from 'reinhardt';

export const MEDIA_DIR = mkdtempSync(join(tmpdir(), 'reinhardt-media-'));

@Controller('/upload')
export class UploadController {
  @Post('/')
  async upload(request: HttpRequest) {
    const file = request.FILES.get('document'); // an UploadedFile, or undefined
    if (!file) return new HttpResponseBadRequest('Send a "document" file.');
    const sha256 = createHash('sha256');
    for await (const chunk of file.chunks()) sha256.update(chunk); // 64 KiB at a time
    await file.saveTo(join(MEDIA_DIR, file.name)); // name is already a safe base name
    return {
      name: file.name,
      size: file.size,
      contentType: file.contentType,
      onDisk: file instanceof TemporaryUploadedFile, // over fileUploadMaxMemorySize
      sha256: sha256.digest('hex'),
      title: request.POST.get('title'), // the other form fields
    };
  }
}

export function buildApp() {
  return createApp({
    controllers: [UploadController],
    container: container.createChildContainer(),
    settings: {
      debug: true,
      fileUploadMaxMemorySize: 1024 * 1024, // bigger files spill to a temporary file
      maxUploadSize: 20 * 1024 * 1024, // whole request; over it: 413
      dataUploadMaxNumberFiles: 10, // over it: 400
    },
  });
}
