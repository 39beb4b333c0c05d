import 'reflect-metadata';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { injectable } from 'tsyringe';
import { AppDatabase } from '../db';
import type { Attachment } from '../models/attachment';

interface AttachmentRow {
  id: number;
  owner_id: number;
  name: string;
  content_type: string;
  size: number;
  uploaded_at: string;
}

/**
 * Uploaded files: metadata in SQLite, bytes in `<dataDir>/uploads/<id>` (never under the
 * user's file name, so a name can not choose where it is written).
 */
@injectable()
export class AttachmentRepository {
  constructor(private readonly db: AppDatabase) {}

  /**
   * Record an upload and return the row plus the path its bytes must be saved to. The caller
   * saves the file, then calls `remove(id)` if saving fails.
   */
  create(ownerId: number, name: string, contentType: string, size: number): { attachment: Attachment; path: string } {
    const uploadedAt = new Date();
    const id = Number(
      this.db.sqlite
        .prepare('INSERT INTO attachments_attachment (owner_id, name, content_type, size, uploaded_at) VALUES (?, ?, ?, ?, ?)')
        .run(ownerId, name, contentType, size, uploadedAt.toISOString()).lastInsertRowid,
    );
    return { attachment: { id, ownerId, name, contentType, size, uploadedAt }, path: this.pathOf(id) };
  }

  /** The user's attachments, newest first. */
  listFor(ownerId: number): Attachment[] {
    const rows = this.db.sqlite
      .prepare('SELECT * FROM attachments_attachment WHERE owner_id = ? ORDER BY id DESC')
      .all(ownerId) as AttachmentRow[];
    return rows.map(toAttachment);
  }

  /** The attachment with this id if `ownerId` owns it, else null (others' files are not found). */
  findOwned(id: number, ownerId: number): Attachment | null {
    const row = this.db.sqlite
      .prepare('SELECT * FROM attachments_attachment WHERE id = ? AND owner_id = ?')
      .get(id, ownerId) as AttachmentRow | undefined;
    return row ? toAttachment(row) : null;
  }

  /** Where the bytes of attachment `id` live. */
  pathOf(id: number): string {
    return join(this.db.uploadsDir, String(id));
  }

  /** Delete the row and its file. */
  remove(id: number): void {
    this.db.sqlite.prepare('DELETE FROM attachments_attachment WHERE id = ?').run(id);
    rmSync(this.pathOf(id), { force: true });
  }
}

function toAttachment(row: AttachmentRow): Attachment {
  return {
    id: row.id,
    ownerId: row.owner_id,
    name: row.name,
    contentType: row.content_type,
    size: row.size,
    uploadedAt: new Date(row.uploaded_at),
  };
}
