import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Actor, Role } from './actor';
import type { RequestContext } from './request-context';

export const PUBLIC_KEY = 'zhezi:public';
export const ROLES_KEY = 'zhezi:roles';
export const PASSWORD_CHANGE_PENDING_KEY = 'zhezi:password-change-pending';

/** Reachable without a token (sign-in only). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Answers a user who must still replace a temporary password (everything else is PASSWORD_CHANGE_REQUIRED). */
export const AllowPendingPasswordChange = () => SetMetadata(PASSWORD_CHANGE_PENDING_KEY, true);

/** Only these roles may call the operation; unit-level rules are the services' job. */
export const Roles = (...roles: readonly Role[]) => SetMetadata(ROLES_KEY, roles);

export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = GqlExecutionContext.create(context).getContext<RequestContext>().actor;
  if (!actor) throw new Error('CurrentActor used on an operation the auth guard did not run for');
  return actor;
});

/**
 * The request context, for queries and mutations. A field resolver takes GraphQL's own arguments instead —
 * `(parent, _args: unknown, ctx: RequestContext)`, no parameter decorators — so that Nest binds it as a plain
 * resolver, without its context creator and pipe chain for every item of every list.
 */
export const Ctx = createParamDecorator(
  (_: unknown, context: ExecutionContext): RequestContext => GqlExecutionContext.create(context).getContext(),
);

/** The signed-in user of a plain HTTP route (the global AuthGuard puts it on the request). */
export const HttpActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<{ actor?: Actor }>().actor;
  if (!actor) throw new Error('HttpActor used on a route the auth guard did not run for');
  return actor;
});
