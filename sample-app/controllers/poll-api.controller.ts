import 'reflect-metadata';
import {
  Body,
  Controller,
  Get,
  Http404,
  HttpRequest,
  HttpResponseCreated,
  JsonResponse,
  LoginRequired,
  Post,
  reverse,
} from 'reinhardt';
import { CreatePollDto } from '../dtos/create-poll.dto';
import type { Question } from '../models/poll';
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
 * The same polls as JSON. Reads are public; creating a poll needs a signed-in user and, like
 * every unsafe request from a browser session, the CSRF token (header `X-CSRFToken`).
 */
@Controller('/api/polls')
export class PollApiController {
  constructor(private readonly polls: PollRepository) {}

  /** `?n=` chooses how many (1 to 100, default 5). */
  @Get('/', { name: 'api:poll-list' })
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
  @LoginRequired()
  create(request: HttpRequest, @Body(CreatePollDto) body: CreatePollDto): HttpResponseCreated {
    const question = this.polls.create({ questionText: body.questionText, choices: body.choices });
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
