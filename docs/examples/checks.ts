import 'reflect-metadata';
import { container } from 'tsyringe';
import { Controller, Get, checkWarning, createApp, registerCheck, type Logger } from 'reinhardt';

// A module of your own adds checks to the one registry (import it before the app is created).
registerCheck((target) =>
  target.settings.loginUrl.startsWith('http:') ? [checkWarning('myapp.W001', 'loginUrl is not https.', 'Serve the login page over https.')] : [],
);
// Only with `reinhardt check --deploy`: advice that would be noise in development and tests.
registerCheck((target) => (target.settings.allowedHosts.includes('*') ? [checkWarning('myapp.W002', "allowedHosts accepts any host ('*').")] : []), {
  deploy: true,
});

@Controller()
export class HomeController {
  @Get('/')
  home() {
    return { ok: true };
  }
}

export function buildApp(settings: { loginUrl: string; allowedHosts: string[] }, logger?: Logger) {
  return createApp({ controllers: [HomeController], container: container.createChildContainer(), settings: { debug: true, ...settings }, logger });
}
