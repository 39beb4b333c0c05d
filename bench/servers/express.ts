/**
 * Express 5 as its guide writes it: the built-in JSON and urlencoded parsers
 * and cookie-parser mounted on the app, multer for the upload.
 */
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import cookieParser from 'cookie-parser';
import express from 'express';
import multer from 'multer';

const app = express();
app.use(express.json());
app.use(express.urlencoded({ extended: false }));
app.use(cookieParser());
const upload = multer({ dest: tmpdir() });

const asList = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

app.get('/hello', (_req, res) => {
  res.json({ hello: 'world' });
});

app.get('/users/:id', (req, res) => {
  res.json({ id: Number(req.params.id), fields: asList(req.query.fields) });
});

app.post('/echo', (req, res) => {
  res.json(req.body);
});

app.post('/form', (req, res) => {
  res.json({ a: asList(req.body.a), b: req.body.b });
});

app.get('/cookie', (req, res) => {
  res.json({ theme: req.cookies.theme });
});

app.post('/upload', upload.single('file'), async (req, res) => {
  const file = req.file!;
  await unlink(file.path);
  res.json({ size: file.size });
});

app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
