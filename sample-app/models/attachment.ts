/** A file a user uploaded; the bytes live in `<dataDir>/uploads/<id>`, the row in SQLite. */
export interface Attachment {
  readonly id: number;
  readonly ownerId: number;
  /** The uploaded file's name, already cleaned by the framework's UploadedFile. */
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
  readonly uploadedAt: Date;
}
