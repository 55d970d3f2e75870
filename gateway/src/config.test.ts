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

  it("should read INPS's PDND voucher check for the WaaS API, and refuse one that lets any client in", () => {
    expect(readConfig({ PORT: '18202' }, '/tmp').waas).toEqual({
      audience: 'http://localhost:18202/waas/v1',
      hubClient: 'inps-waas',
      pdnd: null,
    });
    const pdnd = {
      WAAS_PDND_JWKS_URL: 'https://auth.interop.pagopa.it/.well-known/jwks.json',
      WAAS_PDND_ISSUER: 'interop.pagopa.it',
      WAAS_PDND_AUDIENCE: 'https://hub.example/waas/v1',
      WAAS_PDND_CLIENT_IDS: 'c1, c2',
      WAAS_PDND_PURPOSE_IDS: 'p1',
      WAAS_CLIENT: 'inps',
    };
    expect(readConfig(pdnd, '/tmp').waas).toEqual({
      audience: 'https://hub.example/waas/v1',
      hubClient: 'inps',
      pdnd: {
        jwksUrl: 'https://auth.interop.pagopa.it/.well-known/jwks.json',
        issuer: 'interop.pagopa.it',
        clientIds: ['c1', 'c2'],
        purposeIds: ['p1'],
      },
    });
    expect(() => readConfig({ ...pdnd, WAAS_PDND_CLIENT_IDS: '' }, '/tmp')).toThrow(
      /WAAS_PDND_CLIENT_IDS/,
    );
    expect(() => readConfig({ ...pdnd, WAAS_PDND_JWKS_URL: 'jwks' }, '/tmp')).toThrow(/URL/);
  });
});
