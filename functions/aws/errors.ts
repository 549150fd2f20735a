/** A failure an operator can fix, with a message that says how; the CLI prints it and exits 1. */
export class OpsError extends Error {
  public readonly name = 'OpsError';
}
