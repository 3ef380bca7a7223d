import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, badInput, unauthenticated, type Actor, type AppConfig } from '@zhezi/core';
import { OrgService, type User } from '@zhezi/org';
import { verifyPassword } from './password';

interface TokenClaims {
  sub: string;
}

/** Spent on unknown usernames too, so response time does not tell which usernames exist. */
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$q6Rb4yLSS8MWvaEUQmin5w$YSID5T2uOC2N2nOCMR4F7xXvKS70Db03DzFYrEhs4fA';

@Injectable()
export class AuthService {
  constructor(
    private readonly org: OrgService,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(username: string, password: string): Promise<{ token: string; user: User }> {
    if (!username || !password) throw badInput(username ? 'password' : 'username', '请输入用户名和密码');
    const user = await this.org.findUserWithPassword(username);
    const ok = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
    if (!user || !ok) throw unauthenticated('用户名或密码错误');
    const token = await this.jwt.signAsync({ sub: user.id } satisfies TokenClaims, {
      expiresIn: this.config.jwtTtlSeconds,
    });
    return { token, user };
  }

  /** The actor behind a bearer token; re-read from the database so a deactivated user is out at once. */
  async actorFromToken(token: string): Promise<Actor> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token);
    } catch {
      throw unauthenticated('登录已失效，请重新登录');
    }
    const user = await this.org.findActiveUser(claims.sub);
    if (!user) throw unauthenticated('账号不存在或已停用');
    return { userId: user.id, displayName: user.displayName, role: user.role, orgUnitId: user.orgUnitId };
  }
}
