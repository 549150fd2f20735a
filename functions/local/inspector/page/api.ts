/// <reference lib="dom" />
import type { FeedMessages, InspectorState, Preview, SilenceRow, SlackActionsReport } from '../api-types';

/** The per-run key, from the page's own URL; every request carries it. */
const KEY = new URLSearchParams(location.search).get('key') ?? '';

function url(path: string, params: Record<string, string> = {}): string {
  return `/inspector/api/${path}?${new URLSearchParams({ ...params, key: KEY }).toString()}`;
}

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export const api = {
  state: async (): Promise<InspectorState> => json(await fetch(url('state'))),
  preview: async (receipt: number, destination: string, detail?: string): Promise<Preview> =>
    json(await fetch(url('preview', { receipt: String(receipt), destination, ...(detail ? { detail } : {}) }))),
  sendSample: async (name: string): Promise<{ status: number; body: string }> =>
    json(await fetch(url(`samples/${encodeURIComponent(name)}`), { method: 'POST' })),
  redrive: async (destination: string, eventKey?: string): Promise<{ moved: number }> =>
    json(
      await fetch(url('redrive'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ destination, ...(eventKey ? { eventKey } : {}) }),
      }),
    ),
  silences: async (): Promise<SilenceRow[]> => json(await fetch(url('silences'))),
  addSilence: async (fields: Record<string, string>): Promise<SilenceRow> =>
    json(
      await fetch(url('silences'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(fields),
      }),
    ),
  slackActions: async (): Promise<SlackActionsReport> => json(await fetch(url('slack-actions'))),
  endSilence: async (id: string): Promise<SilenceRow> =>
    json(await fetch(url(`silences/${encodeURIComponent(id)}/end`), { method: 'POST' })),
};

export type FeedHandlers = { [K in keyof FeedMessages]: (data: FeedMessages[K]) => void } & {
  readonly status: (live: boolean) => void;
};

/** The live feed; the browser reconnects by itself, and `status` says when it is live. */
export function openFeed(handlers: FeedHandlers): EventSource {
  const source = new EventSource(url('feed'));
  source.onopen = () => handlers.status(true);
  source.onerror = () => handlers.status(false);
  for (const name of ['receipt', 'health', 'dead-letters'] as const) {
    source.addEventListener(name, (event) => {
      const data = JSON.parse((event as MessageEvent<string>).data) as never;
      (handlers[name] as (data: never) => void)(data);
    });
  }
  return source;
}
