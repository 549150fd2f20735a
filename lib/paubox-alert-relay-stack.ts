import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { RelayConfig } from '../functions/config';
import { PauboxAlertRelay } from './paubox-alert-relay';
import { OperatorOutputs } from './relay/operator-outputs';
import type { PauboxAlertRelayProps } from './relay/props';

/** Properties of {@link PauboxAlertRelayStack}. */
export interface PauboxAlertRelayStackProps extends StackProps {
  /**
   * The relay configuration, validated in `deploy` mode (see `loadStackConfig`).
   * @default - the relay's default configuration (see {@link PauboxAlertRelayProps.config})
   */
  readonly config?: RelayConfig;
  /**
   * Tuning of the relay construct other than its configuration.
   * @default - the construct's defaults
   */
  readonly relay?: Omit<PauboxAlertRelayProps, 'config'>;
}

/** The deployable relay: the {@link PauboxAlertRelay} construct and the outputs an operator needs after deploying. */
export class PauboxAlertRelayStack extends Stack {
  /** The relay construct. */
  public readonly relay: PauboxAlertRelay;

  constructor(scope: Construct, id: string, props: PauboxAlertRelayStackProps = {}) {
    super(scope, id, props);
    this.relay = new PauboxAlertRelay(this, 'Relay', { ...props.relay, config: props.config });
    new OperatorOutputs(this, this.relay);
  }
}
