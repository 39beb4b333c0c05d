import 'reflect-metadata';
import { container } from 'tsyringe';
import { Controller, Get, HttpRequest, MemorySessionStore, Post, Session, SessionStore, SignedCookieSessionStore, createApp } from 'reinhardt';

@Controller('/cart')
export class CartController {
  @Get('/')
  show(request: HttpRequest) {
    return { items: request.session.get<string[]>('items', []) };
  }

  @Post('/add/')
  add(request: HttpRequest, @Session() session: Session) {
    const items = session.get<string[]>('items', []) ?? [];
    session.set('items', [...items, request.POST.getItem('item')]); // set() marks the session modified
    return { items: session.get('items') };
  }

  @Post('/clear/')
  async clear(request: HttpRequest) {
    await request.session.flush(); // new empty session; the cookie is deleted
    return null;
  }
}

/** The default: MemorySessionStore, registered for you when the container has no SessionStore. */
export function buildApp() {
  const scope = container.createChildContainer();
  scope.register(SessionStore, { useValue: new MemorySessionStore({ maxEntries: 50_000 }) });
  return createApp({ controllers: [CartController], container: scope, settings: { debug: true } });
}

/** Stateless: the whole (signed, not encrypted) session lives in the cookie. */
export function buildCookieSessionApp() {
  const scope = container.createChildContainer();
  scope.register(SessionStore, { useValue: new SignedCookieSessionStore() });
  return createApp({ controllers: [CartController], container: scope, settings: { secretKey: 'change me', allowedHosts: ['localhost'] } });
}
