import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { acknowledgeUnrotatableSecret } from '../nag-acknowledgments';

export interface RelaySecretProps {
  readonly description: string;
  /** How many letters and digits Secrets Manager generates for its first value. */
  readonly length: number;
  readonly key: kms.IKey;
  /**
   * Why it is not rotated on a schedule: acknowledges the cdk-nag findings that say it should be.
   * @default - no acknowledgment
   */
  readonly notRotatedBecause?: string;
}

/** A secret encrypted with the relay key, its first value generated from [A-Za-z0-9] (safe in a URL path). */
export function relaySecret(scope: Construct, id: string, props: RelaySecretProps): secretsmanager.Secret {
  const secret = new secretsmanager.Secret(scope, id, {
    description: props.description,
    generateSecretString: { passwordLength: props.length, excludePunctuation: true, includeSpace: false },
    encryptionKey: props.key,
  });
  if (props.notRotatedBecause !== undefined) {
    acknowledgeUnrotatableSecret(secret.node.defaultChild!, props.notRotatedBecause);
  }
  return secret;
}
