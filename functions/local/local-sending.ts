import type { SilenceEndNotice } from '../alerts';
import type { RelayConfig } from '../config';
import type { Logger } from '../observability';
import type { RelayEvent } from '../paubox';
import {
  adviceSettings,
  announceEndedSilences,
  MemoryAdviceStore,
  FileSilenceStore,
  MemoryRateStore,
  RateWatch,
  rateSettings,
  rateTargets,
  type SilenceStore,
  windowDaysOf,
} from '../sending';
import { systemClock } from '../delivery';
import type { LocalFanout, LocalFanoutOptions } from './fanout';
import type { LocalRelayOptions } from './relay-types';

/** How long after the first event of a burst the rates are checked, so a burst makes one notice. */
export const DEFAULT_RATE_SETTLE_MS = 2000;

export interface LocalSendingOptions {
  readonly config: RelayConfig;
  /** Where rates.json is kept; without it, the rates live in memory only. */
  readonly dataDir?: string;
  /** Where silences.json is kept. */
  readonly silenceDir: string;
  readonly now: () => number;
  readonly logger: Logger;
  readonly fanout: () => LocalFanout;
  /** @default DEFAULT_RATE_SETTLE_MS */
  readonly settleMs?: number;
}

/**
 * The local relay's alerts about senders: every accepted event is counted for its sender domain's bounce rate,
 * and the rates are checked `settleMs` after a burst begins (and on `check()`), with notices queued to the
 * destinations of `rates.to` like any health notice. Counters and firing alerts live in `<dataDir>/rates.json`.
 */
export class LocalSending {
  private readonly rates: RateWatch;
  private readonly store: MemoryRateStore;
  /** The silences the fan-out applies and the CLI adds to and ends. */
  readonly silences: SilenceStore;
  /** Repeat-bounce advice, recorded by the notifier's enrichment; `suppressions --local` reads its file. */
  readonly advice: MemoryAdviceStore;
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private counting: Promise<unknown> = Promise.resolve();
  /** Every domain is checked each minute too, so reminders and resolved notices come without new traffic. */
  private readonly every = setInterval(() => void this.check(), 60_000).unref();

  constructor(private readonly options: LocalSendingOptions) {
    const targets = rateTargets(options.config);
    this.store = new MemoryRateStore(options.dataDir, options.now);
    this.silences = new FileSilenceStore(options.silenceDir);
    this.advice = new MemoryAdviceStore(adviceSettings(options.config), options.dataDir);
    this.rates = new RateWatch({
      store: this.store,
      settings: rateSettings(options.config),
      now: options.now,
      logger: options.logger,
      post: async (notice) => options.fanout().postNotice(notice, targets),
    });
  }

  /** Counts an accepted event (all four types, whatever the routes) and schedules a check of its domain. */
  published(event: RelayEvent): void {
    this.counting = this.counting
      .then(() => this.rates.count([event]))
      .then((counted) => {
        for (const domain of counted.keys()) this.pending.add(domain);
        this.timer ??= setTimeout(() => void this.check(false), this.options.settleMs ?? DEFAULT_RATE_SETTLE_MS);
        this.timer.unref();
      })
      .catch((error: unknown) => this.failed(error));
  }

  /**
   * Checks the domains counted since the last check, or, with `all`, every domain known (what lets reminders and
   * resolved notices follow as time passes without traffic).
   */
  async check(all = true): Promise<void> {
    await this.counting;
    clearTimeout(this.timer);
    this.timer = undefined;
    const domains = all ? this.store.domains() : [...this.pending];
    this.pending.clear();
    await this.rates.check(domains).catch((error: unknown) => this.failed(error));
    if (all) await this.announceEnded().catch((error: unknown) => this.failed(error));
    if (all) {
      this.store.flush();
      this.advice.flush();
    }
  }

  /** Queues each ended silence's end message where it hid something, once. */
  private async announceEnded(): Promise<void> {
    const names = this.options.config.destinations.map((d) => d.name);
    const queue = async (name: string, notice: SilenceEndNotice) => this.options.fanout().postNotice(notice, [name]);
    await announceEndedSilences(this.silences, this.options.now(), names, queue, this.options.logger);
  }

  /** The relay's alerts about senders, from its options: the data dir (else `.relay-data` for silences) and clock. */
  static forRelay(options: LocalRelayOptions, fanout: () => LocalFanout): LocalSending {
    const clock = options.clock ?? systemClock;
    return new LocalSending({
      config: options.config,
      ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
      silenceDir: options.dataDir ?? '.relay-data',
      now: () => clock.now(),
      logger: options.logger,
      fanout,
      ...(options.rateSettleMs !== undefined ? { settleMs: options.rateSettleMs } : {}),
    });
  }

  /** The relay's clock. */
  readonly now = (): number => this.options.now();

  /** What the notifier's enrichment needs to record hard bounces and advise. */
  adviceEnrichment() {
    return { store: this.advice, windowDays: windowDaysOf(adviceSettings(this.options.config)) };
  }

  /** What the fan-out hands every notifier run: the silences, and the folding of a firing domain's failures. */
  fanoutParts(): Pick<LocalFanoutOptions, 'silences' | 'inhibit'> {
    return {
      silences: { list: () => this.silences.list(), hid: (...args) => this.silences.hid(...args) },
      inhibit: this.inhibition(),
    };
  }

  /** The firing rate alerts, for Slack's *Acknowledge* to mark. */
  rateAlerts(): Pick<MemoryRateStore, 'alertOf' | 'saveAlert'> {
    return this.store;
  }

  /** The destinations whose failures are folded while a rate alert fires (`rates.inhibit`), and the test. */
  inhibition(): { targets: string[]; firing: (senderDomain: string) => Promise<boolean> } {
    const on = this.options.config.rates?.inhibit ?? true;
    return {
      targets: on ? rateTargets(this.options.config) : [],
      firing: async (domain) => (await this.store.alertOf(domain)).state !== undefined,
    };
  }

  /** Stops the timers and writes the counters and advice still waiting. */
  close(): void {
    clearTimeout(this.timer);
    clearInterval(this.every);
    this.store.flush();
    this.advice.flush();
  }

  private failed(error: unknown): void {
    this.options.logger.log('error', 'bounce rates not counted or checked', {
      errorName: error instanceof Error ? error.name : typeof error,
    });
  }
}
