import 'reflect-metadata';
import { IsEmail, IsString, Length, Matches, MinLength, ValidateIf } from 'class-validator';

/**
 * The sign-up form, Django's `UserCreationForm` fields: the username rule is Django's
 * `UnicodeUsernameValidator` (letters, digits and `@.+-_`, at most 150), and the password must
 * be at least 8 characters (`MinimumLengthValidator`). `password2` must repeat it; that check
 * needs both fields, so the controller makes it.
 */
export class SignupDto {
  @IsString()
  @Length(1, 150)
  @Matches(/^[\w.@+-]+$/u, { message: 'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.' })
  username!: string;

  // Optional as in Django's User model; a form sends an empty field as ''.
  @ValidateIf((dto: SignupDto) => dto.email !== undefined && dto.email !== '')
  @IsEmail({}, { message: 'Enter a valid email address.' })
  email?: string;

  @IsString()
  @MinLength(8, { message: 'This password is too short. It must contain at least 8 characters.' })
  password1!: string;

  @IsString()
  password2!: string;
}
