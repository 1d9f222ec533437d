/** Coalitions and minerals diplomacy (capability 9): coalition share, coalition N-1, EU CRMA tests, deal what-ifs, roles. */
export * from './share.ts';
export * from './n1.ts';
export * from './crma.ts';
export * from './deal.ts';
export * from './roles.ts';
