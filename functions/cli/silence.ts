import { cleanText } from '../alerts';
import type { SilenceMatch } from '../alerts';
import { describeMatch } from '../alerts';
import { durationMs } from '../config';
import type { EventType } from '../paubox';
import { endOf, isActive, type Silence, SILENCE_ID, silenceProblems } from '../sending';
import { AWS_NOTE, STACK_OPTION, type CliIo, type Command, type OptionValues } from './command';
import { UsageError } from './errors';
import { silenceStoreOf } from './sending-stores';

const text = (values: OptionValues, name: string): string | undefined =>
  typeof values[name] === 'string' ? (values[name] as string) : undefined;

function hiddenTotal(silence: Silence): number {
  return Object.values(silence.hidden).reduce(
    (sum, counts) => sum + Object.values(counts).reduce((a, b) => a + b, 0),
    0,
  );
}

/** One line of `silence list`: the reason is cleaned (no terminal escapes) and quoted. */
function line(silence: Silence, nowMs: number): string {
  const state = isActive(silence, nowMs) ? `active until ${silence.endsAt}` : `ended ${endOf(silence)}`;
  const reason = JSON.stringify(cleanText(silence.reason).slice(0, 200));
  return `${silence.id}  ${state}  ${describeMatch(silence.match)}; hid ${hiddenTotal(silence)}; reason ${reason}\n`;
}

async function add(values: OptionValues, io: CliIo, nowMs: number): Promise<number> {
  const match: SilenceMatch = {
    ...(text(values, 'event') !== undefined ? { event: text(values, 'event') as EventType } : {}),
    ...(text(values, 'sender-domain') !== undefined
      ? { senderDomain: text(values, 'sender-domain')!.toLowerCase() }
      : {}),
    ...(text(values, 'recipient-domain') !== undefined
      ? { recipientDomain: text(values, 'recipient-domain')!.toLowerCase() }
      : {}),
    ...(text(values, 'fingerprint') !== undefined ? { fingerprint: text(values, 'fingerprint')! } : {}),
  };
  const forText = text(values, 'for');
  if (forText === undefined) throw new UsageError('--for is required: how long, e.g. --for 4h');
  const reason = text(values, 'reason') ?? '';
  const problems = silenceProblems(match, reason, durationMs(forText) ?? 0);
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  const store = await silenceStoreOf(values, io);
  const silence = await store.add({ match, reason, forMs: durationMs(forText)!, nowMs });
  io.out(`${silence.id} silences ${describeMatch(match)} until ${silence.endsAt}\n`);
  io.out(`End it early with: npx paubox-relay silence end ${silence.id}${values.local ? ' --local' : ''}\n`);
  return 0;
}

/** `silence add | list | end <id>`: hold back alerts that match, for a while, and say what was held back. */
export const silenceCommand: Command = {
  name: 'silence',
  summary: 'hold back matching alerts for a while (still archived and counted), list silences, or end one',
  usage:
    'add [--local] --for <4h> [--event <type>] [--sender-domain <d>] [--recipient-domain <d>] [--fingerprint <r-…>] ' +
    '--reason "<why>" | list [--local] [--json] | end <id> [--local]',
  details:
    '  add        a new silence; every option given must match. --for takes 30m, 4h, 2d (at most 30d)\n' +
    '  list       every silence, active or ended, with what it hid\n' +
    '  end <id>   ends one now; each destination that it hid something from is told what\n' +
    "  --local    the local relay's silences (<data dir>/silences.json), read by a running relay at once\n" +
    'Relay health notices and bounce-rate alerts are never silenced.\n' +
    AWS_NOTE,
  options: {
    ...STACK_OPTION,
    local: { type: 'boolean' },
    config: { type: 'string' },
    json: { type: 'boolean' },
    for: { type: 'string' },
    event: { type: 'string' },
    'sender-domain': { type: 'string' },
    'recipient-domain': { type: 'string' },
    fingerprint: { type: 'string' },
    reason: { type: 'string' },
  },
  positionals: { min: 1, max: 2 },
  async run(positionals, values, io) {
    const [action, id] = positionals;
    const now = Date.now();
    if (action === 'add' && id === undefined) return add(values, io, now);
    if (action === 'list' && id === undefined) {
      const all = await (await silenceStoreOf(values, io)).list();
      if (values.json) io.out(`${JSON.stringify(all, null, 2)}\n`);
      else {
        io.out(`${all.length} silence(s)\n`);
        for (const silence of all) io.out(line(silence, now));
      }
      return 0;
    }
    if (action === 'end' && id !== undefined) {
      if (!SILENCE_ID.test(id)) throw new UsageError(`"${cleanText(id)}" is not a silence id (s- and 8 hex digits)`);
      const ended = await (await silenceStoreOf(values, io)).end(id, now);
      if (!ended) {
        io.err(`no active silence ${id}: see npx paubox-relay silence list${values.local ? ' --local' : ''}\n`);
        return 1;
      }
      io.out(`${id} ended; it hid ${hiddenTotal(ended)} alert(s) so far. Each destination concerned is told.\n`);
      return 0;
    }
    throw new UsageError('expected: silence add …, silence list, or silence end <id>');
  },
};
