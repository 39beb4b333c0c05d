import 'reflect-metadata';
import {
  Controller,
  Get,
  Http404,
  HttpRequest,
  HttpResponse,
  HttpResponseRedirect,
  issueToken,
  login,
  LoginRequired,
  logout,
  messages,
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
import type { User } from '../models/user';
import { SqliteTokenStore } from '../repositories/sqlite-token-store';
import { UsernameTaken, UserRepository } from '../repositories/user-repository';

/**
 * Sign-up, login and logout with Django's password hashes and the session (Django's
 * `LoginView`, `LogoutView` and a `UserCreationForm` view). Invalid forms are shown again
 * with their errors and status 200, as Django's form views do; each one that succeeds leaves a
 * message (the messages framework) for the page it redirects to. The account page issues and
 * revokes the JSON API's tokens (DRF's `authtoken`).
 *
 * `@NeverCache()`: no browser or proxy keeps these pages (Django's LoginView and LogoutView are
 * `never_cache` too): a form holds a CSRF token and what the visitor typed. Sign-up and login
 * posts are limited to 5 a minute per client address, so a password cannot be guessed at full
 * speed: the 6th is answered 429 with `Retry-After` before its body is read or a hash computed.
 */
@Controller('/accounts')
@NeverCache()
export class AccountsController {
  constructor(
    private readonly users: UserRepository,
    private readonly tokens: SqliteTokenStore,
  ) {}

  @Get('/signup/', { name: 'accounts:signup' })
  signupForm(request: HttpRequest): HttpResponse {
    return render(request, 'accounts/signup.html', { values: {}, errors: {} });
  }

  /** Create the account, log it in, go to the polls with a welcome. */
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
      messages.success(request, `Welcome, ${user.username}! Your account was created and you are signed in.`);
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
    messages.success(request, `You are signed in as ${user.username}.`);
    return new HttpResponseRedirect(next || reverse('polls:index'));
  }

  /** POST only, as Django 5's `LogoutView`: a link or an image on another site cannot log you out. */
  @Post('/logout/', { name: 'accounts:logout' })
  async submitLogout(request: HttpRequest): Promise<HttpResponse> {
    await logout(request);
    messages.info(request, 'You have been logged out.');
    return new HttpResponseRedirect(reverse('polls:index'));
  }

  /** The account page: who you are, your API tokens (their first characters only), a form to create one. */
  @Get('/profile/', { name: 'accounts:profile' })
  @LoginRequired()
  profile(request: HttpRequest): HttpResponse {
    return this.renderProfile(request, null);
  }

  /**
   * Issues an API token and shows it in this answer only: the store keeps its first characters
   * and its SHA-256, so no later page can show it again. A form POST, so it needs the session's
   * CSRF token: another site cannot make a visitor mint a token (it could not read it either).
   */
  @Post('/tokens/', { name: 'accounts:token-create' })
  @LoginRequired()
  async createToken(request: HttpRequest): Promise<HttpResponse> {
    const token = await issueToken(this.tokens, this.users.getUserId(request.user as User));
    return this.renderProfile(request, token);
  }

  /** Revokes one of your tokens; 404 for a prefix you have no token with, whoever's it is. */
  @Post('/tokens/<str:prefix>/revoke/', { name: 'accounts:token-revoke' })
  @LoginRequired()
  revokeToken(request: HttpRequest, prefix: string): HttpResponse {
    if (!this.tokens.deleteForUser(prefix, this.users.getUserId(request.user as User))) throw new Http404('No such token.');
    return new HttpResponseRedirect(reverse('accounts:profile'));
  }

  private renderProfile(request: HttpRequest, newToken: string | null): HttpResponse {
    const user = request.user as User;
    return render(request, 'accounts/profile.html', { user, tokens: this.tokens.forUser(this.users.getUserId(user)), new_token: newToken });
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
