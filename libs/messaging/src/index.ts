export * from './amqp-transport';
export * from './binding-check';
export * from './broker-connection';
export * from './frame-codec';
export * from './rpc-client';
export * from './topology';
export * from './wire';
export * from './request-timings';
