import { describe, expect, it } from 'vitest';
import { ACCOUNT_FREE_FAILURES, MAX_DELAY_SECONDS, throttleAddress, throttleDelaySeconds, throttleName } from './login-throttle.service.ts';

describe('login throttle rules', () => {
  it('no wait before the free failures are used, then 2, 4, 8 … seconds, capped', () => {
    const waits = Array.from({ length: 16 }, (_, i) => throttleDelaySeconds(i + 1, ACCOUNT_FREE_FAILURES));
    expect(waits).toEqual([0, 0, 0, 0, 2, 4, 8, 16, 32, 64, 128, 256, 512, MAX_DELAY_SECONDS, MAX_DELAY_SECONDS, MAX_DELAY_SECONDS]);
    expect(throttleDelaySeconds(10_000, ACCOUNT_FREE_FAILURES)).toBe(MAX_DELAY_SECONDS);
  });

  it('one key per typed name and per client address', () => {
    expect(throttleName('  Admin ')).toBe('admin');
    expect(throttleName('ＡＤＭＩＮ')).toBe('admin');
    expect(throttleAddress('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(throttleAddress('2001:db8::1')).toBe('2001:db8::1');
  });
});
