export * from './exposure.ts';
export * from './importers.ts';
