import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IsInt, Max, Min } from 'class-validator';
import { BrokerConfig } from './common-config';
import { ConfigError, loadConfig } from './load-config';

class ExampleConfig extends BrokerConfig {
  @IsInt()
  @Min(1)
  @Max(10)
  WORKERS: number = 2;
}

test('defaults apply and numeric variables are converted', () => {
  const config = loadConfig(ExampleConfig, { WORKERS: '7', SHARD_COUNT: '4' });
  assert.equal(config.WORKERS, 7);
  assert.equal(config.SHARD_COUNT, 4);
  assert.equal(config.AMQP_URL, 'amqp://guest:guest@127.0.0.1:5672');
});

test('a bad value stops the start with a message naming the variable', () => {
  assert.throws(
    () => loadConfig(ExampleConfig, { WORKERS: '70', AMQP_URL: 'http://x' }),
    (error: unknown) =>
      error instanceof ConfigError && /WORKERS="70"/.test(error.message) && /AMQP_URL/.test(error.message),
  );
});
