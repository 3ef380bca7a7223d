import { Args, Field, Mutation, ObjectType, Resolver } from '@nestjs/graphql';
import { Public } from '@zhezi/core';
import { User } from '@zhezi/org';
import { AuthService } from './auth.service';

@ObjectType()
export class LoginPayload {
  @Field({ description: '在请求头中以 Authorization: Bearer <token> 携带' })
  token!: string;

  @Field(() => User)
  user!: User;
}

@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Mutation(() => LoginPayload, { description: '登录' })
  login(@Args('username') username: string, @Args('password') password: string) {
    return this.auth.login(username, password);
  }
}
