export * from './log-levels';
export * from './metrics';
export * from './ops-server';
