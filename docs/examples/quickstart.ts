import 'reflect-metadata';
import { container } from 'tsyringe';
import { Controller, Get, HttpRequest, createApp } from 'reinhardt';

@Controller('/hello')
export class HelloController {
  @Get('/<str:name>/', { name: 'hello' })
  greet(request: HttpRequest, name: string) {
    return { hello: name, lang: request.GET.get('lang') ?? 'en' }; // an object becomes a JsonResponse
  }
}

export const app = createApp({ controllers: [HelloController], container: container.createChildContainer(), settings: { debug: true } });

if (require.main === module) void app.listen(8000); // curl http://localhost:8000/hello/ada/?lang=fr
