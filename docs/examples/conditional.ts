import 'reflect-metadata';
import { container } from 'tsyringe';
import { Condition, Controller, Get, HttpRequest, LastModified, Put, createApp } from 'reinhardt';

interface Page {
  text: string;
  version: number;
  updatedAt: Date;
}

export const pages = new Map<string, Page>([['home', { text: 'Welcome', version: 1, updatedAt: new Date('2024-05-06T07:08:09Z') }]]);

// Run before the handler, with the request and the route's parameters; may be async.
const pageEtag = (request: HttpRequest, { slug }: { slug: string }) => {
  const page = pages.get(slug);
  return page === undefined ? null : `${slug}-v${page.version}`; // quoted for you: "home-v1"
};
const pageUpdatedAt = async (request: HttpRequest, { slug }: { slug: string }) => pages.get(slug)?.updatedAt;

@Controller('/wiki')
export class WikiController {
  @Get('/<slug:slug>/')
  @Condition({ etag: pageEtag, lastModified: pageUpdatedAt })
  read(request: HttpRequest, slug: string) {
    return { slug, text: pages.get(slug)?.text }; // not run for a 304
  }

  @Put('/<slug:slug>/')
  @Condition({ etag: pageEtag })
  update(request: HttpRequest, slug: string) {
    const page = pages.get(slug)!; // not run for a 412: a stale If-Match changes nothing
    page.text = String((request.data as { text: string }).text);
    page.version++;
    page.updatedAt = new Date();
    return { slug, version: page.version };
  }

  @Get('/<slug:slug>/history/')
  @LastModified(pageUpdatedAt) // or @ETag(pageEtag)
  history(request: HttpRequest, slug: string) {
    return { slug, versions: pages.get(slug)?.version };
  }
}

export function buildApp() {
  return createApp({ controllers: [WikiController], container: container.createChildContainer(), settings: { secretKey: 'wiki' } });
}
