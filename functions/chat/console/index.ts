import type { ConsolePlatform } from '../platform';
import { renderConsoleView } from './render';
import { consoleSender } from './sender';

/** The local relay's terminal: not a chat platform, so neither a URL nor a rate limit. */
export const consolePlatform: ConsolePlatform = {
  kind: 'console',
  render: renderConsoleView,
  createSender: consoleSender,
};
