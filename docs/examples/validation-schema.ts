import 'reflect-metadata';
import { container } from 'tsyringe';
import { z } from 'zod';
import { Body, Controller, Get, HttpRequest, Post, Query, createApp } from 'reinhardt';

const ChoiceSchema = z.object({ text: z.string().trim().min(1).max(200) });

export const CreatePollSchema = z.object({
  question: z.string().trim().min(1).max(200),
  choices: z.array(ChoiceSchema).min(2),
});

// Query strings are text: coercion is the schema's. z.stringbool() reads 'false' as false
// (z.coerce.boolean() would not: Boolean('false') is true).
export const PollQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  open: z.stringbool().optional(),
});

@Controller('/polls')
export class PollController {
  @Post('/')
  create(request: HttpRequest, @Body(CreatePollSchema) body: z.output<typeof CreatePollSchema>) {
    return { question: body.question, choices: body.choices.map((c) => c.text) };
  }

  @Get('/')
  list(request: HttpRequest, @Query(PollQuerySchema) query: z.output<typeof PollQuerySchema>) {
    return query;
  }

  @Post('/preview/')
  async preview(request: HttpRequest) {
    const poll = await request.validate(CreatePollSchema); // typed: z.output<typeof CreatePollSchema>
    return { preview: `${poll.question} (${poll.choices.length} choices)` };
  }
}

export function buildApp() {
  return createApp({
    controllers: [PollController],
    container: container.createChildContainer(),
    settings: { debug: true },
  });
}
