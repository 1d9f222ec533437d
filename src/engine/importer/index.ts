export * from './exposure.ts';
