import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Min, ValidateNested } from 'class-validator';
import { container } from 'tsyringe';
import {
  ApiOperation, Body, Controller, Delete, Get, HttpRequest, LoginRequired, Post, Query, RateLimit, Returns, createApp, openApiController,
} from 'reinhardt';

export class ChoiceDto {
  @IsString() @Length(1, 200) text!: string;
}

// The same class-validator decorators that check a request describe it in the document.
export class CreatePollDto {
  @IsString() @Length(5, 200) question!: string;
  @ValidateNested({ each: true }) @Type(() => ChoiceDto) choices!: ChoiceDto[];
}

export class PollDto {
  @IsInt() id!: number;
  @IsString() question!: string;
}

export class PageDto {
  @IsOptional() @IsInt() @Min(1) page?: number;
  @IsOptional() @IsIn(['new', 'top']) sort?: string;
}

export class SubscribeDto {
  @IsEmail() email!: string;
}

@Controller('/api/polls')
export class PollApiController {
  // operationId 'poll-list', tag 'PollApi', query parameters page and sort.
  @Get('/', { name: 'poll-list' })
  @Returns(200, [PollDto])
  list(_request: HttpRequest, @Query(PageDto) page: PageDto) {
    return [{ id: page.page ?? 1, question: 'What is new?' }];
  }

  // A 200 schema without @Returns: the declared return type is a class.
  @Get('/<int:id>/', { name: 'poll-detail' })
  @Returns(404, undefined, 'No such poll.')
  detail(_request: HttpRequest, id: number): PollDto {
    return Object.assign(new PollDto(), { id, question: 'What is new?' });
  }

  // 401 (login), 400 (validation), 403 (CSRF) and the security requirement come from the code.
  @Post('/', { name: 'poll-create' })
  @LoginRequired()
  @Returns(201, PollDto)
  create(_request: HttpRequest, @Body(CreatePollDto) body: CreatePollDto) {
    return { id: 1, question: body.question };
  }

  @Delete('/<int:id>/')
  @LoginRequired()
  @ApiOperation({ summary: 'Delete a poll', description: 'Polls are closed rather than deleted now.', deprecated: true })
  @Returns(204)
  remove(_request: HttpRequest, _id: number) {}

  @Post('/subscribe/')
  @RateLimit('5/h')
  subscribe(_request: HttpRequest, @Body(SubscribeDto) body: SubscribeDto) {
    return { subscribed: body.email };
  }
}

export function buildApp() {
  return createApp({
    // openApiController() serves /api/openapi.json and Swagger UI at /api/docs/.
    controllers: [PollApiController, openApiController({ info: { title: 'Polls', version: '1.0.0' } })],
    container: container.createChildContainer(),
    settings: { secretKey: process.env.SECRET_KEY ?? 'dev-only-secret' },
  });
}
