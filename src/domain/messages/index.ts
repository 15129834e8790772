/** The message catalogue: the words and messages the console, the CLI and the mails share (lang.ts says why). */
export * from './lang';
export * from './words';
export * from './refusals';
export * from './summaries';
export * from './validation';
