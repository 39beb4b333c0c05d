import 'reflect-metadata';
import {
  Controller,
  FileResponse,
  Get,
  Http404,
  HttpRequest,
  HttpResponse,
  HttpResponseRedirect,
  LoginRequired,
  messages,
  PermissionDenied,
  Post,
  render,
  reverse,
} from 'reinhardt';
import { AttachmentRepository } from '../repositories/attachment-repository';
import { User } from '../models/user';

/**
 * The app's own limit for one attachment, checked in the view on top of the framework's
 * `maxUploadSize` for the whole request (Django's FILE_UPLOAD_MAX_MEMORY_SIZE only decides
 * memory or disk; a per-file limit is the view's job).
 */
export const ATTACHMENT_MAX_SIZE = 5 * 1024 * 1024;

/**
 * Each user's uploaded files: a list with an upload form, the upload (multipart, at most
 * 5 MB), and a download that streams the file and answers `Range` requests.
 */
@Controller('/attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentRepository) {}

  @Get('/', { name: 'attachments:index' })
  @LoginRequired()
  index(request: HttpRequest): HttpResponse {
    return this.page(request);
  }

  /** Save the `file` field; 400 without one, 413 over the limit, else back to the list with a message. */
  @Post('/', { name: 'attachments:upload' })
  @LoginRequired()
  async upload(request: HttpRequest): Promise<HttpResponse> {
    const file = request.FILES.get('file');
    if (file === undefined || file === null) {
      return this.page(request, 'Choose a file to upload.', 400);
    }
    if (file.size > ATTACHMENT_MAX_SIZE) {
      return this.page(request, `"${file.name}" is ${file.size} bytes; the limit is 5 MB (${ATTACHMENT_MAX_SIZE} bytes).`, 413);
    }
    const owner = ownerOf(request);
    const { attachment, path } = this.attachments.create(owner.id, file.name, file.contentType || 'application/octet-stream', file.size);
    try {
      await file.saveTo(path);
    } catch (error) {
      this.attachments.remove(attachment.id);
      throw error;
    }
    messages.success(request, `"${file.name}" was uploaded.`);
    return new HttpResponseRedirect(reverse('attachments:index'));
  }

  /** The file as an attachment under its uploaded name; another user's file is a 404. */
  @Get('/<int:id>/download/', { name: 'attachments:download' })
  @LoginRequired()
  download(request: HttpRequest, id: number): FileResponse {
    const attachment = this.attachments.findOwned(id, ownerOf(request).id);
    if (attachment === null) throw new Http404(`No attachment matches id ${id}.`);
    return new FileResponse(this.attachments.pathOf(attachment.id), {
      asAttachment: true,
      filename: attachment.name,
      contentType: attachment.contentType,
    });
  }

  private page(request: HttpRequest, errorMessage?: string, status = 200): HttpResponse {
    return render(
      request,
      'attachments/index.html',
      {
        attachments: this.attachments.listFor(ownerOf(request).id),
        max_size_label: '5 MB',
        error_message: errorMessage,
      },
      { status },
    );
  }
}

/**
 * The signed-in user. `@LoginRequired()` already sent anonymous visitors away; a user object of
 * another class would mean a misregistered UserProvider, which must not reach the files.
 */
function ownerOf(request: HttpRequest): User {
  const user = request.user;
  if (!(user instanceof User)) throw new PermissionDenied('Attachments belong to signed-in users.');
  return user;
}
