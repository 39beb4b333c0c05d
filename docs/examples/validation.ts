import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsBoolean, IsInt, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { container } from 'tsyringe';
import { Body, Controller, Get, HttpRequest, Post, Query, createApp } from 'reinhardt';

export class ChoiceDto {
  @IsString()
  @Length(1, 200)
  text!: string;
}

export class CreatePollDto {
  @IsString()
  @Length(1, 200)
  question!: string;

  @ArrayMinSize(2)
  @ValidateNested({ each: true })
  @Type(() => ChoiceDto) // nested objects need @Type
  choices!: ChoiceDto[];
}

export class PollQuery {
  @IsInt()
  @Min(1)
  page: number = 1; // the type annotation lets '?page=2' become 2

  @IsOptional()
  @IsInt()
  @Max(100)
  size?: number;

  @IsOptional()
  @IsBoolean()
  open?: boolean; // '?open=false' (or 0, off, empty) is false, as in Django's BooleanField
}

@Controller('/polls')
export class PollController {
  @Post('/')
  create(request: HttpRequest, @Body(CreatePollDto) body: CreatePollDto) {
    return { question: body.question, choices: body.choices.map((c) => c.text) };
  }

  @Get('/')
  list(request: HttpRequest, @Query(PollQuery) query: PollQuery) {
    return query;
  }
}

export function buildApp(validationErrorStatus: 400 | 422 = 400) {
  return createApp({
    controllers: [PollController],
    container: container.createChildContainer(),
    settings: { debug: true, validationErrorStatus },
  });
}
