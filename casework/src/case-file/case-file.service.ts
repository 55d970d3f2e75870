// The case file (cartella sociale): reading it whole, its status and history, its access list and
// its sections. Reads are audited; writes are transactional and audited. One file per use case.
export * from './case-access-list.service.ts';
export * from './case-file-read.service.ts';
export * from './case-sections.service.ts';
export * from './case-status.service.ts';
