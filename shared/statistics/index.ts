/**
 * The statistics model (guide, sections 2.6 and 2.7): daily figures from raw usage events,
 * periods for the statistics screen, small-count suppression, the export format and the
 * coordinators' merge. Pure: time, files and the database are the caller's.
 * docs/statistics.md documents the measures, the rules and the format.
 */
export * from './calendar';
export * from './percentiles';
export * from './daily-figures';
export * from './period';
export * from './suppression';
export * from './export-format';
export * from './merge';
