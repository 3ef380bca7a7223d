import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import {
  forbidden,
  PASSWORD_CHANGE_PENDING_KEY,
  PUBLIC_KEY,
  ROLES_KEY,
  unauthenticated,
  type Actor,
  type RequestContext,
  type Role,
} from '@zhezi/core';
import { AuthService, passwordChangeRequired } from './auth.service';
import { assertNotCrossSiteForm, requestToken } from './session-cookie';

type Headers = RequestContext['req']['headers'];
/** Where the guard keeps what it learnt of the token: the GraphQL context or the HTTP request. */
type Holder = { actor?: Actor; mustChangePassword?: boolean };

/**
 * Global, for GraphQL and plain HTTP alike: every operation needs a valid token (bearer header or session
 * cookie) unless marked @Public, and one of its @Roles if it names any. The actor is kept on the GraphQL context (or the HTTP request).
 * A user with a temporary password gets PASSWORD_CHANGE_REQUIRED except where @AllowPendingPasswordChange.
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
    let holder: Holder;
    let headers: Headers;
    // GraphQL over HTTP has Apollo's CSRF prevention; REST routes get the same check here.
    let method: string | null = null;
    if (context.getType<GqlContextType>() === 'graphql') {
      const ctx = GqlExecutionContext.create(context).getContext<RequestContext>();
      [holder, headers] = [ctx, ctx.req.headers];
    } else {
      const req = context.switchToHttp().getRequest<Holder & { headers: Headers; method: string }>();
      [holder, headers, method] = [req, req.headers, req.method];
    }
    if (!holder.actor) {
      const found = requestToken(headers);
      if (!found) throw unauthenticated();
      if (found.fromCookie && method) assertNotCrossSiteForm(method, headers);
      ({ actor: holder.actor, mustChangePassword: holder.mustChangePassword } = await this.auth.authenticate(
        found.token,
      ));
    }
    if (
      holder.mustChangePassword &&
      !this.reflector.getAllAndOverride<boolean>(PASSWORD_CHANGE_PENDING_KEY, targets)
    ) {
      throw passwordChangeRequired();
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(holder.actor.role)) throw forbidden();
    return true;
  }
}
