#!/usr/bin/env node
// The `paubox-relay` bin: runs the TypeScript CLI through tsx, so it works right after `npm ci`, with no build step.
require('tsx/cjs');
require('./paubox-relay.ts');
