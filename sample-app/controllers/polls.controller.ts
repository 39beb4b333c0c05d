import 'reflect-metadata';
import {
  CachePage,
  Controller,
  Get,
  Http404,
  HttpRequest,
  HttpResponse,
  HttpResponseRedirect,
  messages,
  Post,
  redirectToLogin,
  render,
  reverse,
  VaryOnCookie,
} from 'reinhardt';
import type { Question } from '../models/poll';
import { clearPollPages, POLL_LIST_CACHE_SECONDS, POLL_PAGES_CACHE } from '../poll-pages';
import { PollRepository } from '../repositories/poll-repository';

/**
 * The HTML pages of Django's tutorial (parts 3 and 4): index, detail with the vote form,
 * results, and the vote itself, which needs a signed-in user and the form's CSRF token: an
 * anonymous voter is sent to log in and then back to the poll.
 */
@Controller('/polls')
export class PollsController {
  constructor(private readonly polls: PollRepository) {}

  /**
   * The five latest published polls, kept in the page cache: a hit is answered without running
   * this method. The header names the signed-in user, so the page varies on `Cookie` (one copy
   * per cookie header, one for all visitors without cookies); a vote or a new poll empties it.
   */
  @Get('/', { name: 'polls:index' })
  @CachePage(POLL_LIST_CACHE_SECONDS, { cache: POLL_PAGES_CACHE })
  @VaryOnCookie()
  index(request: HttpRequest): HttpResponse {
    return render(request, 'polls/index.html', { latest_question_list: this.polls.latest(5) });
  }

  @Get('/<int:id>/', { name: 'polls:detail' })
  detail(request: HttpRequest, id: number): HttpResponse {
    return render(request, 'polls/detail.html', { question: this.getQuestion(id) });
  }

  @Get('/<int:id>/results/', { name: 'polls:results' })
  results(request: HttpRequest, id: number): HttpResponse {
    return render(request, 'polls/results.html', { question: this.getQuestion(id) });
  }

  /**
   * Count the vote and redirect to the results (POST/redirect/GET, so reloading the results
   * page cannot vote twice) with "Your vote was recorded.". No or a foreign choice: the form
   * again, with the tutorial's message. A counted vote empties the cached poll lists, whose
   * counts it changed.
   *
   * An anonymous voter goes to the login page and from there back to the poll. Not
   * `@LoginRequired()`: like Django's `login_required`, it would make this URL the `next`, and
   * after logging in the browser would GET a URL that takes only POST (a 405). So the view calls
   * `redirectToLogin()` (Django's `redirect_to_login`) with the poll's own page as `next`.
   */
  @Post('/<int:id>/vote/', { name: 'polls:vote' })
  async vote(request: HttpRequest, id: number): Promise<HttpResponse> {
    const question = this.getQuestion(id);
    if (!request.user.isAuthenticated) {
      messages.info(request, 'Log in to vote.');
      return redirectToLogin(reverse('polls:detail', { id }), request.settings.loginUrl, request.settings.redirectFieldName);
    }
    const choice = Number(request.POST.get('choice') ?? NaN);
    if (!Number.isInteger(choice) || !this.polls.vote(id, choice)) {
      return render(request, 'polls/detail.html', { question, error_message: "You didn't select a choice." });
    }
    await clearPollPages(request);
    messages.success(request, 'Your vote was recorded.');
    return new HttpResponseRedirect(reverse('polls:results', { id }));
  }

  /** Django's `get_object_or_404`. */
  private getQuestion(id: number): Question {
    const question = this.polls.find(id);
    if (question === null) throw new Http404(`No poll matches id ${id}.`);
    return question;
  }
}

/** `/` has no page of its own: it sends visitors to the poll list. */
@Controller()
export class HomeController {
  @Get('/', { name: 'home' })
  home(): HttpResponse {
    return new HttpResponseRedirect(reverse('polls:index'));
  }
}
