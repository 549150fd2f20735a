import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../functions/cli/run-cli';
import { captureIo } from '../../support/deployed-stack';

describe('validate-config with a file that is not JSON', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relay-validate-json-'));

  it.each([
    [
      'a stray comma',
      '{\n  "destinations": [\n    { "name": "ops", "kind": "slack" },,\n  ]\n}\n',
      'line 3, column 40: expected a value (a string in double quotes, a number, true, false, null, an object or an array), found ","',
    ],
    [
      'a trailing comma',
      '{\n  "destinations": [],\n}\n',
      'line 3, column 1: expected another key after the comma, found "}"',
    ],
    [
      'a missing comma',
      '{\n  "destinations": []\n  "routes": []\n}\n',
      "line 3, column 3: expected ',' or '}', found \"\\\"\"",
    ],
    [
      'a cut-off file',
      '{ "destinations": [',
      'line 1, column 20: expected a value (a string in double quotes, a number, true, false, null, an object or an array), found the end of the file',
    ],
    [
      'a comment',
      '// config\n{}',
      'line 1, column 1: expected a value (a string in double quotes, a number, true, false, null, an object or an array), found "/"',
    ],
  ])('names the line and column of %s', async (_name, text, where) => {
    const file = join(dir, 'relay.config.json');
    writeFileSync(file, text);
    const cli = captureIo();
    await expect(runCli(['validate-config', '--config', file], cli)).resolves.toBe(1);
    expect(cli.stderr()).toBe(
      `paubox-relay validate-config: invalid relay configuration:\n  - ${file} is not valid JSON: ${where}\n`,
    );
  });
});

describe('validate-config of what init writes', () => {
  it('says that, deployed, it would post nowhere, and what to add', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'relay-validate-init-'));
    await expect(runCli(['init'], { ...captureIo(), cwd })).resolves.toBe(0);
    const cli = { ...captureIo(), cwd };
    await expect(runCli(['validate-config'], cli)).resolves.toBe(0);
    expect(cli.stdout().split('\n').slice(1, 4)).toEqual([
      'Destinations:',
      '  terminal: console, detail minimal (console: local relay only, not deployed)',
      'Deployed, it would post nowhere: add a slack or teams destination (no "url": its URL goes in a secret) and route events to it.',
    ]);
  });
});
