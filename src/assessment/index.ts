export * from './assessment.types.ts';
export * from './assessment.engine.ts';
