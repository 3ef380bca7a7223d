import { randomInt } from 'node:crypto';

export const PASSWORD_MIN_LENGTH = 10;
/** argon2 takes any length; a bound keeps a megabyte "password" from costing more than a real one. */
export const PASSWORD_MAX_LENGTH = 128;

/**
 * Passwords guessed first, compared case-insensitively: the world's commonest, the usual Chinese office patterns,
 * and every published default of this project (the demo and generated-data passwords).
 */
const COMMON_PASSWORDS = new Set(
  [
    'Zhezi@2026',
    'Zhezi@2025',
    'Zhezi@2027',
    'Gen@2026',
    'Test@2026',
    '1234567890',
    '12345678910',
    '0123456789',
    '1111111111',
    '0000000000',
    '1234554321',
    '1q2w3e4r5t',
    '1qaz2wsx3edc',
    '1qaz@WSX3edc',
    'qwertyuiop',
    'asdfghjkl;',
    'password123',
    'password1234',
    'Password@123',
    'P@ssw0rd123',
    'P@ssword123',
    'Passw0rd!23',
    'Admin@12345',
    'admin123456',
    'Admin@123456',
    'administrator',
    'Aa123456789',
    'Abc@123456',
    'abc1234567',
    'abcd123456',
    'Abcd@123456',
    'Qwer@123456',
    'Huawei@123',
    'Huawei12#$',
    'Welcome@123',
    'Welcome123',
    'iloveyou123',
    'woaini1314',
    'woaini520520',
    '5201314520',
    'changeme123',
    'Changeme@123',
    'letmein123',
    'zhangwei123',
    'haidian2026',
    'Haidian@2026',
    'beijing2026',
    'Beijing@2026',
  ].map((p) => p.toLowerCase()),
);

/** Why a password is refused, in the user's words; null when it may be used. */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `密码至少 ${PASSWORD_MIN_LENGTH} 位`;
  if (password.length > PASSWORD_MAX_LENGTH) return `密码最多 ${PASSWORD_MAX_LENGTH} 位`;
  const lower = password.toLowerCase();
  if (username && lower.includes(username.toLowerCase())) return '密码不能包含用户名';
  if (COMMON_PASSWORDS.has(lower)) return '该密码过于常见（或为公开的演示密码），请换一个';
  if (new Set(password).size < 4) return '密码字符过于单一，请换一个';
  return null;
}

// No 0/O, 1/l/I: a temporary password is read aloud or copied from a screen.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A temporary password an admin hands over; the user must replace it at the next sign-in. */
export function temporaryPassword(length = 14): string {
  let password = '';
  for (let i = 0; i < length; i++) password += ALPHABET[randomInt(ALPHABET.length)];
  return password;
}
