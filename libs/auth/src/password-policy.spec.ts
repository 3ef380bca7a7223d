import { passwordProblem, temporaryPassword } from './password-policy';

describe('password policy', () => {
  it.each([
    ['short1!', 'zhang.san', '密码至少 10 位'],
    ['Zhezi@2026', 'zhang.san', '该密码过于常见（或为公开的演示密码），请换一个'],
    ['ZHEZI@2026', 'zhang.san', '该密码过于常见（或为公开的演示密码），请换一个'],
    ['zhang.san2026', 'zhang.san', '密码不能包含用户名'],
    ['aaaaaaaaaaaa', 'zhang.san', '密码字符过于单一，请换一个'],
    ['x'.repeat(129), 'zhang.san', '密码最多 128 位'],
  ])('refuses %s for %s', (password, username, problem) => {
    expect(passwordProblem(password, username)).toBe(problem);
  });

  it('accepts a long unusual password', () => {
    expect(passwordProblem('清河治理-Kp7#2026', 'zhang.san')).toBeNull();
  });

  it('generates temporary passwords the policy accepts', () => {
    for (let i = 0; i < 50; i++) expect(passwordProblem(temporaryPassword(), 'admin')).toBeNull();
  });
});
