import 'reflect-metadata';
import { container } from 'tsyringe';
import { Controller, Get, HttpRequest, Http404, Post, createApp } from 'reinhardt';

const books = new Map([[1, { id: 1, title: 'Emma' }]]);

@Controller('/api/books', { api: true })
export class BookApi {
  @Get('/<int:id>/')
  detail(request: HttpRequest, id: number) {
    const book = books.get(id);
    if (book === undefined) throw new Http404(`No book ${id}.`); // 404 {"detail": "No book 7."}
    return book;
  }

  @Post('/')
  create(request: HttpRequest) {
    const { title } = request.json<{ title: string }>(); // malformed JSON: 400 {"detail": "JSON parse error - ..."}
    const book = { id: books.size + 1, title };
    books.set(book.id, book);
    return book;
  }
}

export const app = createApp({ controllers: [BookApi], container: container.createChildContainer(), middleware: [], settings: { debug: false, secretKey: 'docs' } });
