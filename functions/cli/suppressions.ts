import { DEFAULT_ADVICE_CONFIG } from '../config';
import { localSettings } from '../local';
import { type Advice, adviceSettings, dynamoAdviceStore, MemoryAdviceStore } from '../sending';
import { AWS_NOTE, STACK_OPTION, type CliIo, type Command, type OptionValues } from './command';
import { deployedTable, localDataDir } from './sending-stores';

/** Every advice given, by the local relay (`--local`) or the deployed one. */
export async function adviceList(values: OptionValues, io: CliIo): Promise<Advice[]> {
  if (values.local) {
    const dataDir = localDataDir(values, io);
    const config = localSettings({ ...io.env, RELAY_DATA_DIR: dataDir }, io.cwd).config;
    return new MemoryAdviceStore(adviceSettings(config), dataDir).list();
  }
  const { client, table } = await deployedTable(values);
  // Listing reads what was recorded: the settings only matter when recording.
  return dynamoAdviceStore(client, table, { hardBounces: DEFAULT_ADVICE_CONFIG.hardBounces, windowMs: 0 }).list();
}

/** `suppressions`: the recipients the relay advised to stop sending to, by fingerprint. */
export const suppressionsCommand: Command = {
  name: 'suppressions',
  summary: 'list the recipients (by fingerprint) that hard-bounced advice.hardBounces times: stop sending to them',
  usage: '[--local [--config <path>]] [--json] [--stack <name>]',
  details:
    "  --local    the local relay's advice (<data dir>/advice.json)\n" +
    '  --json     one JSON array: fingerprint, recipientDomain, firstAt, lastAt, count, advisedAt\n' +
    'Addresses are never kept: find one with `npx paubox-relay fingerprint <address>`.\n' +
    AWS_NOTE,
  options: { ...STACK_OPTION, local: { type: 'boolean' }, config: { type: 'string' }, json: { type: 'boolean' } },
  positionals: { min: 0, max: 0 },
  async run(_positionals, values, io) {
    const all = await adviceList(values, io);
    if (values.json) {
      io.out(`${JSON.stringify(all, null, 2)}\n`);
      return 0;
    }
    io.out(`${all.length} recipient(s) to stop sending to\n`);
    for (const a of all) {
      io.out(`${a.fingerprint}  @${a.recipientDomain}  ${a.count} hard bounces, ${a.firstAt} to ${a.lastAt}\n`);
    }
    return 0;
  },
};
