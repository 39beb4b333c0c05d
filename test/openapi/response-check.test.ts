/**
 * Issue 24 item 5: with `openApiValidateResponses` on, the test Client checks every response
 * against the app's OpenAPI document and fails the test with the request and the mismatch.
 */
import 'reflect-metadata';
import { IsInt, IsString, Length } from 'class-validator';
import { Client, Controller, Get, HttpResponse, Returns } from '../../src';
import { appOf } from './document-of';

class PollDto {
  @IsInt() id!: number;
  @IsString() @Length(1, 20) question!: string;
}

let answer: unknown = { id: 1, question: 'Tea?' };

@Controller('/polls')
class PollController {
  @Get('/<int:id>/', { name: 'poll-detail' })
  @Returns(200, PollDto)
  detail(_request: unknown, _id: number) {
    return answer;
  }

  @Get('/', { name: 'poll-list' })
  @Returns(200, [PollDto])
  @Returns(204)
  list() {
    return answer;
  }

  @Get('/page/')
  @Returns(200, PollDto)
  page() {
    return new HttpResponse('<p>Tea?</p>');
  }
}

const checked = () => new Client(appOf([PollController], { settings: { openApiValidateResponses: true } }));

describe('openApiValidateResponses', () => {
  test('a response that matches its declared schema passes', async () => {
    answer = { id: 1, question: 'Tea?' };
    expect((await checked().get('/polls/1/')).json()).toEqual({ id: 1, question: 'Tea?' });
    answer = [{ id: 1, question: 'Tea?' }];
    expect((await checked().get('/polls/')).statusCode).toBe(200);
  });

  test('a body that breaks the schema fails with the request, the operation and each mismatch', async () => {
    answer = { id: 'one', question: '' };
    await expect(checked().get('/polls/1/')).rejects.toThrow(
      'GET /polls/1/ answered 200, which the OpenAPI document does not allow (poll-detail, 200): /id must be integer; /question must NOT have fewer than 1 characters',
    );
    answer = [{ id: 1 }];
    await expect(checked().get('/polls/', { page: '2' })).rejects.toThrow(
      "GET /polls/?page=2 answered 200, which the OpenAPI document does not allow (poll-list, 200): /0 must have required property 'question'",
    );
  });

  test('a 2xx the operation does not declare fails; a declared one without a body passes', async () => {
    answer = null; // the handler returns nothing: 204
    expect((await checked().get('/polls/')).statusCode).toBe(204);
    await expect(checked().get('/polls/1/')).rejects.toThrow(
      'GET /polls/1/ answered 204, which the OpenAPI document does not allow (poll-detail, 204): the operation declares 200.',
    );
  });

  test('HTML where JSON is declared fails', async () => {
    await expect(checked().get('/polls/page/')).rejects.toThrow(
      'GET /polls/page/ answered 200, which the OpenAPI document does not allow (PollController_page, 200): application/json is declared, the body is text/html; charset=utf-8.',
    );
  });

  test('an undeclared error status and a path with no route are not checked', async () => {
    expect((await checked().get('/polls/99999999999999999999/')).statusCode).toBe(404);
    expect((await checked().get('/nowhere/')).statusCode).toBe(404);
  });

  test('off (the default): nothing is checked', async () => {
    answer = { id: 'one' };
    expect((await new Client(appOf([PollController])).get('/polls/1/')).json()).toEqual({ id: 'one' });
  });
});
