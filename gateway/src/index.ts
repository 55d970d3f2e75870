export * from './app.ts';
export * from './auth/tokens.ts';
export * from './config.ts';
export * from './hub.ts';
export * from './serve.ts';
