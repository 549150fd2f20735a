#!/usr/bin/env node
// The `paubox-relay` bin: runs the TypeScript CLI through tsx, so it works right after `npm ci`, with no build step.
// On Node 20 the AWS SDK would print a 9-line notice that its 2027 releases need Node 22 on every AWS command; the
// supported Node versions are stated in the README and package.json's engines instead.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs');
require('./paubox-relay.ts');
