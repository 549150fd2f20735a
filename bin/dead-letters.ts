/** `npm run dead-letters -- [destination]`: the local relay's dead letters, counted by reason. No PHI is printed. */
import { summarizeDeadLetters } from '../functions/commons/dead-letters';
import { localSettings } from '../functions/local/local-settings';
import { FileDeadLetterStore } from '../functions/local/file-dead-letters';

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write('usage: npm run dead-letters -- [destination]   (reads $RELAY_DATA_DIR, default ./.relay-data)\n');
    return 0;
  }
  const destination = argv.find((a) => !a.startsWith('-'));
  const { dataDir } = localSettings({ ...process.env, RELAY_CONFIG: undefined });
  const letters = await new FileDeadLetterStore(dataDir).list(destination);
  if (letters.length === 0) {
    process.stdout.write(`no dead letters${destination ? ` for ${destination}` : ''} in ${dataDir}\n`);
    return 0;
  }
  const destinations = [...new Set(letters.map((l) => l.destination))].sort();
  for (const name of destinations) {
    const mine = letters.filter((l) => l.destination === name);
    process.stdout.write(`${name}: ${mine.length} dead letter(s)\n`);
    for (const [reason, count] of Object.entries(summarizeDeadLetters(mine))) process.stdout.write(`  ${reason}: ${count}\n`);
    for (const l of mine.slice(-10)) process.stdout.write(`    ${l.failedAt} ${l.eventType} key ${l.eventKey} (${l.reason})\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
