import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anyObject, parseJsonLines, readJsonLines, repairTornTail } from '../../../functions/files';

describe('parseJsonLines', () => {
  it('keeps every object line, and skips and counts everything else', () => {
    const bad = ['null', '[]', '42', '"text"', 'true', '{"torn":', '\u0000\u0000', '\ufeff{"bom":1}', '{}}'];
    const text = `{"a":1}\n${bad.join('\n')}\n\n   \n{"b":2}\n`;
    expect(parseJsonLines(text, anyObject)).toEqual({
      records: [{ a: 1 }, { b: 2 }],
      skipped: bad.length,
      unreadable: bad,
    });
  });

  it('skips an object of the wrong shape, or one its shape check throws on', () => {
    const shape = (v: Record<string, unknown>) => {
      if (v.boom) throw new Error('boom');
      return typeof v.n === 'number' ? v.n : undefined;
    };
    expect(parseJsonLines('{"n":1}\n{"n":"1"}\n{"boom":true}\n{"n":2}', shape)).toMatchObject({
      records: [1, 2],
      skipped: 2,
    });
  });
});

describe('files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'json-lines-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a missing file as no lines, and says once how many lines of a file it skipped', async () => {
    const said: string[] = [];
    expect(await readJsonLines(join(dir, 'none.jsonl'), anyObject, { warn: (m) => said.push(m) })).toMatchObject({
      records: [],
      skipped: 0,
    });
    const path = join(dir, 'x.jsonl');
    writeFileSync(path, '{"a":1}\nnull\n42\n');
    await readJsonLines(path, anyObject, { warn: (m) => said.push(m) });
    writeFileSync(path, '{"a":1}\nnull\n');
    await readJsonLines(path, anyObject, { warn: (m) => said.push(m) });
    expect(said).toEqual([`skipped 2 unreadable lines in ${path}`, `skipped 1 unreadable line in ${path}`]);
  });

  it('repairs a torn tail: its bytes go to <file>.torn, the file ends at its last whole line', () => {
    const path = join(dir, 'x.jsonl');
    writeFileSync(path, '{"a":1}\n{"b":');
    expect(repairTornTail(path)).toBe(5);
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}\n');
    expect(readFileSync(`${path}.torn`, 'utf8')).toBe('{"b":\n');
    expect(repairTornTail(path)).toBe(0);
    // A file with no newline at all is one torn line; a missing file has nothing to repair.
    writeFileSync(path, `{"c":${'x'.repeat(70_000)}`);
    expect(repairTornTail(path)).toBe(70_005);
    expect(readFileSync(path, 'utf8')).toBe('');
    expect(readFileSync(`${path}.torn`, 'utf8').split('\n')).toHaveLength(3);
    expect(repairTornTail(join(dir, 'none.jsonl'))).toBe(0);
  });
});
