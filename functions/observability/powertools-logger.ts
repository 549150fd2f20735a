import type { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Logger } from './logger';

/**
 * The relay's `Logger` on top of Powertools Logger. Callers can still only pass the closed `LogFields`,
 * which is what keeps PHI out of the logs; Powertools adds the function context, cold start and trace id.
 */
export function powertoolsLogger(logger: PowertoolsLogger): Logger {
  return {
    log(level, message, fields = {}) {
      logger[level](message, { ...fields });
    },
  };
}
