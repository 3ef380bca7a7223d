import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '@zhezi/core';
import { OrgModule } from '@zhezi/org';
import { ActiveUserCache } from './active-user.cache';
import { AuthGuard } from './auth.guard';
import { AuthResolver } from './auth.resolver';
import { AuthService } from './auth.service';
import { UserAdminResolver } from './user-admin.resolver';
import { UserAdminService } from './user-admin.service';

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      // A key object made once: given the secret as a string, jsonwebtoken first tries (and fails) to parse it
      // as a PEM public key on every verification, which was the costliest step of an authenticated request.
      useFactory: (config: AppConfig) => ({ secret: createSecretKey(Buffer.from(config.jwtSecret)) }),
    }),
    OrgModule,
  ],
  providers: [
    ActiveUserCache,
    AuthService,
    AuthResolver,
    UserAdminService,
    UserAdminResolver,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService],
})
export class AuthModule {}
