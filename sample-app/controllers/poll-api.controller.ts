import 'reflect-metadata';
import {
  Authentication,
  Body,
  CachePage,
  Controller,
  Get,
  Http404,
  HttpRequest,
  HttpResponseCreated,
  JsonResponse,
  Post,
  reverse,
  SessionAuthentication,
  TokenAuthentication,
  UseGuards,
} from 'reinhardt';
import { CreatePollDto } from '../dtos/create-poll.dto';
import { authenticatedOrReadOnly } from '../guards/authenticated-or-read-only';
import type { Question } from '../models/poll';
import { clearPollPages, POLL_LIST_CACHE_SECONDS, POLL_PAGES_CACHE } from '../poll-pages';
import { PollRepository } from '../repositories/poll-repository';

/** One poll as the API shows it. */
export interface PollPayload {
  id: number;
  questionText: string;
  pubDate: Date;
  url: string;
  choices: Array<{ id: number; choiceText: string; votes: number }>;
}

/** `GET /api/polls/`. */
export interface PollListPayload {
  polls: PollPayload[];
}

/**
 * The same polls as JSON, for scripts and front ends (docs/sample-app.md, "The JSON API with a token").
 *
 * - `api: true`: every error under `/api/polls` answers JSON (`{"detail": ...}`), whatever the
 *   client's `Accept` says — a malformed body, an unknown path, a bad token, a 500.
 * - `@Authentication`: an API token from the account page (`Authorization: Token <key>`) first,
 *   else the browser session. A token request needs no CSRF token (another site cannot set the
 *   header); a session's unsafe request still does (header `X-CSRFToken`), as in DRF.
 * - `@UseGuards(authenticatedOrReadOnly)`: reads are public, a write needs a user: 401 with
 *   `WWW-Authenticate: Token` without one.
 *
 * Pages on the origins of `corsAllowedOrigins` may call it with the visitor's cookies
 * (CorsMiddleware, `corsUrlsRegex: '^/api/'`).
 */
@Controller('/api/polls', { api: true })
@Authentication(TokenAuthentication, SessionAuthentication)
@UseGuards(authenticatedOrReadOnly)
export class PollApiController {
  constructor(private readonly polls: PollRepository) {}

  /**
   * `?n=` chooses how many (1 to 100, default 5). Kept in the page cache (one copy per URL, so
   * per `n`): one copy for every visitor without a session, and one per session cookie for the
   * others, whose session the authentication step reads (`Vary: Cookie`); a vote or a new poll
   * empties it.
   */
  @Get('/', { name: 'api:poll-list' })
  @CachePage(POLL_LIST_CACHE_SECONDS, { cache: POLL_PAGES_CACHE })
  list(request: HttpRequest): JsonResponse<PollListPayload> {
    const n = Number(request.GET.get('n') ?? 5);
    const limit = Number.isInteger(n) ? Math.min(Math.max(n, 1), 100) : 5;
    return new JsonResponse({ polls: this.polls.latest(limit).map(toPayload) });
  }

  @Get('/<int:id>/', { name: 'api:poll-detail' })
  detail(request: HttpRequest, id: number): JsonResponse<PollPayload> {
    const question = this.polls.find(id);
    if (question === null) throw new Http404(`No poll matches id ${id}.`);
    return new JsonResponse(toPayload(question));
  }

  /** A validated `CreatePollDto` (400 with the field errors otherwise); 201 with `Location`. */
  @Post('/', { name: 'api:poll-create' })
  async create(request: HttpRequest, @Body(CreatePollDto) body: CreatePollDto): Promise<HttpResponseCreated> {
    const question = this.polls.create({ questionText: body.questionText, choices: body.choices });
    await clearPollPages(request);
    const payload = toPayload(question);
    return new HttpResponseCreated(JSON.stringify(payload), {
      contentType: 'application/json',
      headers: { Location: request.buildAbsoluteUri(payload.url) },
    });
  }
}

function toPayload(question: Question): PollPayload {
  return {
    id: question.id,
    questionText: question.questionText,
    pubDate: question.pubDate,
    url: reverse('api:poll-detail', { id: question.id }),
    choices: question.choices.map((c) => ({ id: c.id, choiceText: c.choiceText, votes: c.votes })),
  };
}
