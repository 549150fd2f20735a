import type { RoutingAttributes } from '../routing';

/** Routing attributes as SNS and SQS message attributes (the same shape for both). */
export function messageAttributes(
  attributes: RoutingAttributes,
): Record<string, { DataType: 'String'; StringValue: string }> {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]: [string, string]) => [
      name,
      { DataType: 'String', StringValue: value },
    ]),
  );
}
