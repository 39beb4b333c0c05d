import 'reflect-metadata';
import { IsNotEmpty, IsString } from 'class-validator';

/** The login form (Django's `AuthenticationForm` fields). */
export class LoginDto {
  @IsString()
  @IsNotEmpty({ message: 'This field is required.' })
  username!: string;

  @IsString()
  @IsNotEmpty({ message: 'This field is required.' })
  password!: string;
}
