import 'reflect-metadata';
import {
  Controller,
  Get,
  HttpRequest,
  HttpResponse,
  HttpResponseRedirect,
  login,
  logout,
  NeverCache,
  Post,
  RateLimit,
  render,
  reverse,
  urlHasAllowedHostAndScheme,
  ValidationError,
} from 'reinhardt';
import { LoginDto } from '../dtos/login.dto';
import { SignupDto } from '../dtos/signup.dto';
import { UsernameTaken, UserRepository } from '../repositories/user-repository';

/**
 * Sign-up, login and logout with Django's password hashes and the session (Django's
 * `LoginView`, `LogoutView` and a `UserCreationForm` view). Invalid forms are shown again
 * with their errors and status 200, as Django's form views do.
 *
 * `@NeverCache()`: no browser or proxy keeps these pages (Django's LoginView and LogoutView are
 * `never_cache` too): a form holds a CSRF token and what the visitor typed. Sign-up and login
 * posts are limited to 5 a minute per client address, so a password cannot be guessed at full
 * speed: the 6th is answered 429 with `Retry-After` before its body is read or a hash computed.
 */
@Controller('/accounts')
@NeverCache()
export class AccountsController {
  constructor(private readonly users: UserRepository) {}

  @Get('/signup/', { name: 'accounts:signup' })
  signupForm(request: HttpRequest): HttpResponse {
    return render(request, 'accounts/signup.html', { values: {}, errors: {} });
  }

  /** Create the account, log it in, go to the polls. */
  @Post('/signup/')
  @RateLimit('5/m', { key: 'ip', method: 'POST' })
  async submitSignup(request: HttpRequest): Promise<HttpResponse> {
    const values = { username: request.POST.get('username') ?? '', email: request.POST.get('email') ?? '' };
    let form: SignupDto;
    try {
      form = await request.validate(SignupDto);
    } catch (error) {
      if (error instanceof ValidationError) return render(request, 'accounts/signup.html', { values, errors: error.errors });
      throw error;
    }
    if (form.password1 !== form.password2) {
      return render(request, 'accounts/signup.html', {
        values,
        errors: { password2: ['The two password fields didn’t match.'] },
      });
    }
    try {
      const user = await this.users.create(form.username, form.email ?? '', form.password1);
      await login(request, user);
      this.users.recordLogin(user);
    } catch (error) {
      if (error instanceof UsernameTaken) return render(request, 'accounts/signup.html', { values, errors: { username: [error.message] } });
      throw error;
    }
    return new HttpResponseRedirect(reverse('polls:index'));
  }

  /** The form keeps `next` only when it is safe, as Django's LoginView puts only a safe one in the context. */
  @Get('/login/', { name: 'accounts:login' })
  loginForm(request: HttpRequest): HttpResponse {
    return render(request, 'accounts/login.html', { next: safeNext(request, request.GET.get('next')), username: '' });
  }

  /** Check the password, log in (new session key, new CSRF token), go to `next` if it stays on this site. */
  @Post('/login/')
  @RateLimit('5/m', { key: 'ip', method: 'POST' })
  async submitLogin(request: HttpRequest): Promise<HttpResponse> {
    const next = safeNext(request, request.POST.get('next'));
    const username = request.POST.get('username') ?? '';
    let form: LoginDto;
    try {
      form = await request.validate(LoginDto);
    } catch (error) {
      if (error instanceof ValidationError) return this.loginFailed(request, next, username);
      throw error;
    }
    const user = await this.users.verify(form.username, form.password);
    if (user === null) return this.loginFailed(request, next, username);
    await login(request, user);
    this.users.recordLogin(user);
    return new HttpResponseRedirect(next || reverse('polls:index'));
  }

  /** POST only, as Django 5's `LogoutView`: a link or an image on another site cannot log you out. */
  @Post('/logout/', { name: 'accounts:logout' })
  async submitLogout(request: HttpRequest): Promise<HttpResponse> {
    await logout(request);
    return new HttpResponseRedirect(reverse('polls:index'));
  }

  private loginFailed(request: HttpRequest, next: string, username: string): HttpResponse {
    return render(request, 'accounts/login.html', {
      next,
      username,
      // Django's AuthenticationForm message: it does not say which of the two was wrong.
      error_message: 'Please enter a correct username and password. Note that both fields may be case-sensitive.',
    });
  }
}

/**
 * `next` when it is safe to redirect to, else '' (Django's `RedirectURLMixin.get_redirect_url`):
 * a relative URL or one on this request's host, and https only when the request is, so a link to
 * `/accounts/login/?next=https://evil.example/` cannot send a freshly logged-in user elsewhere.
 */
function safeNext(request: HttpRequest, next: string | null | undefined): string {
  const safe = urlHasAllowedHostAndScheme(next, { allowedHosts: [request.getHost()], requireHttps: request.isSecure() });
  return safe ? next! : '';
}
