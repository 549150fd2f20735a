/** The files the local relay writes, read past rot and repaired after a crash. */
export * from './json-lines';
export { JsonFile } from './json-file';
