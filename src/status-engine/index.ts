export * from './status.engine.ts';
