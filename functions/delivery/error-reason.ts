import { DestinationCredentialsError, DestinationUrlError } from '../config';

/** A short code for a failure, fit for a log line or a dead letter: the error's class, never its message. */
export function reasonOf(error: unknown): string {
  if (error instanceof DestinationUrlError) return 'destination_url_refused';
  if (error instanceof DestinationCredentialsError) return 'destination_credentials_missing';
  return error instanceof Error ? `error_${error.name}`.slice(0, 64) : 'error_unknown';
}
