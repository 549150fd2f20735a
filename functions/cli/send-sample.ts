import { DEFAULT_LOCAL_TOKEN, DEFAULT_PORT, isSampleName, postSample, SAMPLES, sampleBody } from '../local';
import { FAILED, type Command } from './command';
import { UsageError } from './errors';

/** `send-sample`: a sample webhook, as Paubox would post it. */
export const sendSampleCommand: Command = {
  name: 'send-sample',
  summary: 'post a sample Paubox webhook to the local relay or to --url',
  usage: `<${SAMPLES.join('|')}> [--url <webhook url>] [--as-is]`,
  details:
    '  --url     where to post (default the local relay: http://127.0.0.1:$PORT/paubox/$RELAY_TOKEN)\n' +
    '  --as-is   post the sample byte for byte; by default it gets a fresh id and time, so each run is a new event\n' +
    'Signs the request (Standard Webhooks headers) when RELAY_SIGNING_SECRET holds a whsec_ secret.\n' +
    'Prints the status and body of the answer; exits 1 unless it is 2xx.',
  options: { url: { type: 'string' }, 'as-is': { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  async run([name], values, io) {
    if (!name || !isSampleName(name))
      throw new UsageError(`unknown sample "${name}"; choose one of ${SAMPLES.join(', ')}`);
    const url =
      typeof values.url === 'string'
        ? values.url
        : `http://127.0.0.1:${io.env.PORT ?? DEFAULT_PORT}/paubox/${io.env.RELAY_TOKEN ?? DEFAULT_LOCAL_TOKEN}`;
    const reply = await postSample(
      url,
      sampleBody(name, values['as-is'] === true),
      undefined,
      io.env.RELAY_SIGNING_SECRET || undefined,
    );
    io.out(`${reply.status} ${reply.body}\n`);
    return reply.status >= 200 && reply.status < 300 ? 0 : FAILED;
  },
};
