/** One synthesis per stack configuration and test file, however many tests and describes read it. */
import { Template } from 'aws-cdk-lib/assertions';
import type { RelayConfig } from '../../functions/config';
import { PauboxAlertRelayStack, type PauboxAlertRelayProps } from '../../lib';
import { projectApp } from './template-helpers';

export interface SynthesizedRelay {
  readonly stack: PauboxAlertRelayStack;
  readonly template: Template;
}

type RelayOptions = Omit<PauboxAlertRelayProps, 'config'>;

const synthesized = new Map<string, SynthesizedRelay>();

/**
 * The relay stack `id` for `config` (and construct `relay` options), synthesized on first use and shared after.
 * Tests read it; a test that adds constructs builds its own stack instead.
 */
export function synthesizeRelay(id: string, config: RelayConfig, relay: RelayOptions = {}): SynthesizedRelay {
  const key = JSON.stringify([id, config, relay]);
  let found = synthesized.get(key);
  if (!found) {
    const stack = new PauboxAlertRelayStack(projectApp(), id, { config, relay });
    found = { stack, template: Template.fromStack(stack) };
    synthesized.set(key, found);
  }
  return found;
}
