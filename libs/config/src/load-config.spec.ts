import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { BrokerConfig } from './common-config';
import { ConfigError, Env, loadConfig, Secret, variablesOf } from './load-config';

class ExampleConfig extends BrokerConfig {
  @Env()
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

test('only declared variables are read, inherited ones first, with or without a default', () => {
  class Declared extends BrokerConfig {
    @Env()
    @IsOptional()
    @IsString()
    TOKEN?: string;

    @IsOptional()
    @IsString()
    NOT_A_VARIABLE?: string;
  }
  assert.deepEqual(variablesOf(Declared), [...variablesOf(BrokerConfig), 'TOKEN']);
  assert.deepEqual(variablesOf(BrokerConfig), [
    'AMQP_URL',
    'RABBITMQ_MANAGEMENT_URL',
    'SHARD_COUNT',
    'LOG_LEVEL',
    'VISAGE_FAILPOINT',
  ]);
  const config = loadConfig(Declared, { TOKEN: 'read', NOT_A_VARIABLE: 'ignored' });
  assert.equal(config.TOKEN, 'read');
  assert.equal(config.NOT_A_VARIABLE, undefined);
});

test('a bad value stops the start with a message naming the variable', () => {
  assert.throws(
    () => loadConfig(ExampleConfig, { WORKERS: '70', AMQP_URL: 'http://x' }),
    (error: unknown) =>
      error instanceof ConfigError && /WORKERS="70"/.test(error.message) && /AMQP_URL/.test(error.message),
  );
});

class SecretsConfig extends BrokerConfig {
  @Env()
  @Secret()
  @Matches(/^[a-z]{16,}$/, { message: 'must be 16 or more lower-case letters' })
  API_TOKENS: string = 'abcdefghijklmnopqrstuvwxyz';

  @Env()
  @Matches(/^postgres:\/\//, { message: 'must be a postgres:// URL' })
  DATABASE_URL: string = 'postgres://postgres@127.0.0.1:5432/visage';
}

test('a configuration error never shows a password or a secret value', () => {
  const env = {
    AMQP_URL: 'http://visage:amqp-Pa55word@broker:5672/visage',
    RABBITMQ_MANAGEMENT_URL: 'ftp://admin:mgmt-Pa55word@broker:15672',
    DATABASE_URL: 'postgresql//visage:db-Pa55word@db:5432/visage',
    API_TOKENS: 'secret-key-one-0123456789,secret-key-two-0123456789',
  };
  assert.throws(
    () => loadConfig(SecretsConfig, env),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      for (const name of Object.keys(env)) assert.match(error.message, new RegExp(`${name}=`));
      for (const secret of ['amqp-Pa55word', 'mgmt-Pa55word', 'db-Pa55word', 'secret-key-one', 'secret-key-two']) {
        assert.doesNotMatch(error.message, new RegExp(secret));
      }
      // What is left still tells which value is wrong.
      assert.match(error.message, /AMQP_URL="http:\/\/visage:\*\*\*@broker:5672\/visage"/);
      assert.match(error.message, /API_TOKENS=\(hidden\)/);
      return true;
    },
  );
});
