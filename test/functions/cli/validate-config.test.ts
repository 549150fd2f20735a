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
