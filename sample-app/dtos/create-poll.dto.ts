import 'reflect-metadata';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Length } from 'class-validator';

/**
 * Body of `POST /api/polls/`: `{"questionText": "...", "choices": ["...", "..."]}`.
 * Limits follow the tutorial's model fields (`CharField(max_length=200)`).
 */
export class CreatePollDto {
  @IsString()
  @Length(1, 200)
  questionText!: string;

  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  choices!: string[];
}
