import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as files from '../../../../functions/files/json-lines';
import { FileQuarantine } from '../../../../functions/ingest/quarantine/file-store';

describe('FileQuarantine', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'relay-quarantine-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the body as it came, owner-only, and lists ids, times, reasons and sizes but never the body', async () => {
    const store = new FileQuarantine(dir);
    expect(await store.list()).toEqual([]);
    const body = Buffer.from('{"to":"patient@example.com"');
    const receivedAt = new Date('2026-03-16T08:00:00.000Z');
    const id = await store.keep({ body, receivedAt }, 'malformed_json');
    await store.keep({ body: Buffer.from('[]'), receivedAt }, 'invalid_payload: data');
    expect(id).toMatch(/^q-/);
    const listed = await store.list();
    expect(listed).toEqual([
      { id, receivedAt: '2026-03-16T08:00:00.000Z', reason: 'malformed_json', bytes: body.length },
      expect.objectContaining({ reason: 'invalid_payload: data', bytes: 2 }),
    ]);
    expect(JSON.stringify(listed)).not.toContain('patient');
    expect(await store.list(1)).toHaveLength(1);
    const line = JSON.parse(readFileSync(store.file, 'utf8').split('\n')[0]!) as { body: string };
    expect(Buffer.from(line.body, 'base64').equals(body)).toBe(true);
    expect(statSync(store.file).mode & 0o777).toBe(0o600);
  });

  it('answers only once the webhook is flushed to disk (fdatasync), as the journal does before 202', async () => {
    const flushes: string[] = [];
    const durable = jest.spyOn(files, 'appendDurably').mockImplementation(async (path, text) => {
      flushes.push(path);
      await new Promise((resolve) => setTimeout(resolve, 20));
      appendFileSync(path, text);
      flushes.push('flushed');
    });
    const store = new FileQuarantine(dir);
    await store.keep({ body: Buffer.from('x'), receivedAt: new Date() }, 'malformed_json');
    expect(flushes).toEqual([store.file, 'flushed']);
    durable.mockRestore();
  });
});
