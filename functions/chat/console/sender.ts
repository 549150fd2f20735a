import type { AlertSender } from '../alert-sender';
import { renderConsoleView } from './render';

/** Readable lines for a terminal, for the local relay. */
export function consoleSender(write: (text: string) => void): AlertSender {
  return {
    kind: 'console',
    verb: 'printed',
    async send(view) {
      write(`${renderConsoleView(view)}\n`);
    },
  };
}
