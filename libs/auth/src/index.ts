export * from './active-user.cache';
export * from './admin-setup';
export * from './auth.module';
export * from './auth.service';
export * from './password';
export * from './password-policy';
export * from './session-cookie';
