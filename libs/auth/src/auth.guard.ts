import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import {
  forbidden,
  PUBLIC_KEY,
  ROLES_KEY,
  unauthenticated,
  type Actor,
  type RequestContext,
  type Role,
} from '@zhezi/core';
import { AuthService } from './auth.service';

type Headers = RequestContext['req']['headers'];

/**
 * Global, for GraphQL and plain HTTP alike: every operation needs a valid token unless marked @Public,
 * and one of its @Roles if it names any. The actor is kept on the GraphQL context (or the HTTP request).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    let holder: { actor?: Actor };
    let headers: Headers;
    if (context.getType<GqlContextType>() === 'graphql') {
      const ctx = GqlExecutionContext.create(context).getContext<RequestContext>();
      [holder, headers] = [ctx, ctx.req.headers];
    } else {
      const req = context.switchToHttp().getRequest<{ headers: Headers; actor?: Actor }>();
      [holder, headers] = [req, req.headers];
    }
    if (!holder.actor) {
      const header = headers.authorization;
      const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : null;
      if (!token) throw unauthenticated();
      holder.actor = await this.auth.actorFromToken(token);
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(holder.actor.role)) throw forbidden();
    return true;
  }
}
