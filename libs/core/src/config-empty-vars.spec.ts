import { loadConfig } from './config';

/** docker-compose.yml passes PUBLIC_URL, TRUST_PROXY and SMTP_* through as `${VAR:-}`: empty when the operator set none. */
describe('loadConfig with the empty variables compose passes through', () => {
  const empty = {
    PUBLIC_URL: '',
    TRUST_PROXY: '',
    SMTP_HOST: '',
    SMTP_PORT: '',
    SMTP_SECURE: '',
    SMTP_USER: '',
    SMTP_PASSWORD: '',
    SMTP_FROM: '',
  };

  it('reads them as unset', () => {
    expect(loadConfig(empty)).toMatchObject({
      publicUrl: 'http://localhost:3000',
      trustProxy: false,
      smtp: null,
    });
  });

  it('keeps the default sender when only the server is given', () => {
    expect(loadConfig({ ...empty, SMTP_HOST: 'smtp.example.gov.cn' }).smtp).toEqual({
      host: 'smtp.example.gov.cn',
      port: 25,
      secure: false,
      user: null,
      password: null,
      from: '折子工程督办系统 <noreply@localhost>',
    });
  });
});
