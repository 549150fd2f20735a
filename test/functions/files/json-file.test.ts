import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonFile } from '../../../functions/files/json-file';

describe('JsonFile', () => {
  let dir: string;
  let file: JsonFile<{ n: number }>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'json-file-'));
    file = new JsonFile(join(dir, 'state.json'), () => ({ n: 0 }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const onDisk = () => JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as { n: number };
  const waitFor = async (done: () => boolean) => {
    for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  };

  it('writes a burst of changes once, a moment later, off the event loop, leaving no temporary file', async () => {
    let n = 0;
    for (let i = 0; i < 5; i++) {
      n += 1;
      file.writeSoon(() => ({ n }), 20);
    }
    expect(file.read()).toEqual({ n: 0 });
    await waitFor(() => readdirSync(dir).includes('state.json') && readdirSync(dir).length === 1);
    expect(onDisk()).toEqual({ n: 5 });
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('flushed while a write is on its way, holds the latest value: the slower write never lands over it', async () => {
    let n = 1;
    file.writeSoon(() => ({ n }), 0);
    // The timer fires and its write starts; the state changes and the relay closes before it is renamed.
    const onItsWay = () => readdirSync(dir).some((name) => name.endsWith('.tmp'));
    for (let i = 0; i < 100_000 && !onItsWay(); i++) await new Promise((resolve) => setImmediate(resolve));
    expect(onItsWay()).toBe(true);
    n = 2;
    file.flush();
    expect(onDisk()).toEqual({ n: 2 });
    await waitFor(() => readdirSync(dir).length === 1);
    expect(onDisk()).toEqual({ n: 2 });
    expect(readdirSync(dir)).toEqual(['state.json']);
  });
});
