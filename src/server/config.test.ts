import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has safe defaults', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: './data/luoshi.db',
      demo: true,
      adminPassword: undefined,
      cookieSecure: false,
      sessionTtlHours: 12,
      logLevel: 'info',
      uploadDir: './data/uploads',
      geoBoundaryFile: './samples/geo/hebi-districts.geojson',
      webDir: './dist/web',
      loginRateLimitPerMinute: 120,
      publicRateLimitPerMinute: 3000,
      trustProxy: false,
      today: undefined,
      jobs: true,
      auditKey: undefined,
      auditKeyFile: './keys/audit.key',
    });
  });

  it('parses numbers and flags; empty strings mean "default"', () => {
    const c = loadConfig({
      PORT: '8080',
      LUOSHI_DEMO: '0',
      COOKIE_SECURE: 'true',
      TRUST_PROXY: 'yes',
      SESSION_TTL_HOURS: '1.5',
      HOST: '',
      LUOSHI_JOBS: 'off',
    });
    expect(c).toMatchObject({
      port: 8080,
      demo: false,
      cookieSecure: true,
      trustProxy: true,
      sessionTtlHours: 1.5,
      host: '127.0.0.1',
      jobs: false,
    });
  });

  it('lists every invalid variable at once', () => {
    const bad = { PORT: 'eighty', COOKIE_SECURE: 'maybe', LUOSHI_ADMIN_PASSWORD: 'short' };
    expect(() => loadConfig(bad)).toThrow(/invalid configuration/);
    const message = (() => {
      try {
        loadConfig(bad);
        return '';
      } catch (err) {
        return String(err);
      }
    })();
    for (const name of Object.keys(bad)) expect(message).toContain(name);
  });
});
