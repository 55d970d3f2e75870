import { describe, expect, it } from 'vitest';
import { readConfig } from './config.ts';

describe('readConfig', () => {
  it('should keep GraphiQL and the demo region off in production', () => {
    const config = readConfig({ NODE_ENV: 'production' }, '/tmp');
    expect(config).toMatchObject({ production: true, development: false, demo: false });
  });

  it('should refuse to start the demo region in production', () => {
    expect(() => readConfig({ NODE_ENV: 'production', DEMO: '1' }, '/tmp')).toThrow(/DEMO/);
    expect(readConfig({ NODE_ENV: 'production', DEMO: '0' }, '/tmp').demo).toBe(false);
  });

  it('should read the lists of trusted proxies and CORS origins once', () => {
    const config = readConfig(
      { TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1', CORS_ORIGINS: 'https://hub.example' },
      '/tmp',
    );
    expect(config.trustedProxies).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(config.corsOrigins).toEqual(['https://hub.example']);
    expect(readConfig({}, '/tmp')).toMatchObject({ trustedProxies: [], corsOrigins: [] });
  });
});
