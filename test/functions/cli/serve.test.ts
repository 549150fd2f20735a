import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { runCli } from '../../../functions/cli/run-cli';
import { captureIo } from '../../support/deployed-stack';

describe('serve', () => {
  let busy: Server;
  let port: number;

  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    port = (busy.address() as AddressInfo).port;
  });
  afterAll(async () => new Promise<void>((resolve) => busy.close(() => resolve())));

  it('says which port is in use and how to choose another, from the flag or from PORT', async () => {
    const flag = captureIo();
    await expect(runCli(['serve', '--port', String(port)], flag)).resolves.toBe(1);
    expect(flag.stderr()).toBe(
      `paubox-relay serve: --port ${port} on 127.0.0.1 is in use (another relay?); choose another: ` +
        `npm start -- --port ${port + 1}, or PORT=${port + 1} npm start (port 0 picks a free one)\n`,
    );
    const env = { ...captureIo(), env: { PORT: String(port) } };
    await expect(runCli(['serve'], env)).resolves.toBe(1);
    expect(env.stderr()).toContain(`paubox-relay serve: port ${port} on 127.0.0.1 is in use`);
  });

  it('blames a bad --port on the flag, not on PORT', async () => {
    const cli = captureIo();
    await expect(runCli(['serve', '--port', '70000'], cli)).resolves.toBe(2);
    expect(cli.stderr()).toContain('paubox-relay serve: --port must be a whole number from 0 to 65535, got "70000"');
    expect(cli.stderr()).not.toContain('PORT must');
  });
});
