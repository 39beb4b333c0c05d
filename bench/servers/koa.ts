/**
 * Koa 3 with @koa/router, @koa/bodyparser for JSON and forms, ctx.cookies
 * (built in) and @koa/multer writing the upload to disk.
 */
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { bodyParser } from '@koa/bodyparser';
import multer from '@koa/multer';
import Router from '@koa/router';
import Koa from 'koa';

const app = new Koa();
const router = new Router();
const upload = multer({ dest: tmpdir() });

const asList = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

router.get('/hello', (ctx) => {
  ctx.body = { hello: 'world' };
});

router.get('/users/:id', (ctx) => {
  ctx.body = { id: Number(ctx.params.id), fields: asList(ctx.query.fields) };
});

router.post('/echo', (ctx) => {
  ctx.body = ctx.request.body;
});

router.post('/form', (ctx) => {
  const body = ctx.request.body as { a: string | string[]; b: string };
  ctx.body = { a: asList(body.a), b: body.b };
});

router.get('/cookie', (ctx) => {
  ctx.body = { theme: ctx.cookies.get('theme') };
});

router.post('/upload', upload.single('file'), async (ctx) => {
  const file = ctx.file;
  await unlink(file.path);
  ctx.body = { size: file.size };
});

app.use(bodyParser());
app.use(router.routes());
app.use(router.allowedMethods());

app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
