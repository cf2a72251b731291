import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '#config';
import { GatewayConfig } from './gateway.config';

test('TRUST_PROXY is off unless set, and takes true, false or the peers to believe', () => {
  assert.equal(loadConfig(GatewayConfig, {}).TRUST_PROXY, 'false');
  for (const value of ['true', 'false', 'loopback', '10.0.0.0/8, 192.168.1.7', 'uniquelocal,fd00::/8,::1']) {
    assert.equal(loadConfig(GatewayConfig, { TRUST_PROXY: value }).TRUST_PROXY, value);
  }
  for (const value of ['yes', '999.1.1.1', '10.0.0.0/33', 'proxy.internal', '10.0.0.1,']) {
    assert.throws(
      () => loadConfig(GatewayConfig, { TRUST_PROXY: value }),
      (error: unknown) => error instanceof ConfigError && /TRUST_PROXY=/.test(error.message),
      value,
    );
  }
});
