/**
 * Jest `setupFiles`: the environment every test file starts with, so that the test log shows failures and not
 * notices nobody running the tests can act on.
 */
// The AWS SDK's notice that its 2027 releases need Node 22; the relay's functions run on nodejs22.x in any case.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// CDK's built-in CloudFormation validation prints every expected annotation as a report and costs most of a
// synthesis; test/lib/bundling.test.ts turns it back on for its one real synthesis.
process.env.CDK_VALIDATION ??= 'false';
