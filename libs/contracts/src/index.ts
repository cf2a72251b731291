export * from './collections';
export * from './errors';
export * from './limits';
export * from './messages';
export * from './models';
export * from './confidence';
export * from './vector-bytes';
