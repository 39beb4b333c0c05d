import 'reflect-metadata';
// 4xx/5xx answers are logged (reinhardt.request): captured, not written to the test output.
import '../logging/root-logger';
import { IsBoolean, IsInt, IsString } from 'class-validator';
import { container } from 'tsyringe';
import { Body, Client, Controller, HttpRequest, Post, Query, createApp } from '../../src';

class ProfileDto {
  @IsString()
  name!: string;

  @IsInt()
  age!: number;

  @IsBoolean()
  admin!: boolean;
}

class AgeQuery {
  @IsInt()
  age!: number;
}

@Controller('/profile')
class ProfileController {
  @Post('/')
  save(request: HttpRequest, @Body(ProfileDto) profile: ProfileDto) {
    return { name: profile.name, age: profile.age, admin: profile.admin };
  }

  @Post('/age/')
  age(request: HttpRequest, @Query(AgeQuery) query: AgeQuery) {
    return { age: query.age };
  }
}

const client = new Client(
  createApp({ controllers: [ProfileController], middleware: [], container: container.createChildContainer(), settings: { secretKey: 's' } }),
);

describe('DTO input types (SPEC §8)', () => {
  test('a JSON body is validated as it came: a value of the wrong JSON type is a 400, not converted', async () => {
    const ok = await client.post('/profile/', { name: 'Ada', age: 36, admin: false }, { json: true });
    expect([ok.statusCode, ok.json()]).toEqual([200, { name: 'Ada', age: 36, admin: false }]);
    const wrong = await client.post('/profile/', { name: { first: 'Ada' }, age: '36', admin: 'false' }, { json: true });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toEqual({
      errors: {
        name: ['name must be a string'],
        age: ['age must be an integer number'],
        admin: ['admin must be a boolean value'],
      },
    });
    const number = await client.post('/profile/', { name: 123, age: 36, admin: true }, { json: true });
    expect([number.statusCode, number.json()]).toEqual([400, { errors: { name: ['name must be a string'] } }]);
  });

  test('form and query data are text, converted to the declared types', async () => {
    const form = await client.post('/profile/', { name: 'Ada', age: '36', admin: 'true' });
    expect([form.statusCode, form.json()]).toEqual([200, { name: 'Ada', age: 36, admin: true }]);
    const query = await client.post('/profile/age/?age=7');
    expect([query.statusCode, query.json()]).toEqual([200, { age: 7 }]);
  });
});
