import { Stack, Tokenization } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { type EnvSpec, type EnvValues, type FormatValue, formatEnv } from '../../functions/aws';

/**
 * A function's environment written from the spec its handler reads (functions/aws/lambda-environments.ts), so
 * that a variable's name is typed once. Numbers and JSON may hold tokens (a queue URL, a count from a prop).
 */
export function environmentOf<S extends EnvSpec>(
  scope: IConstruct,
  spec: S,
  values: Partial<EnvValues<S>>,
): Record<string, string> {
  const stack = Stack.of(scope);
  const tokenText: FormatValue = (v, value) => {
    if (v.type === 'number') return Tokenization.stringifyNumber(value as number);
    if (v.type === 'json') return stack.toJsonString(value);
    return String(value);
  };
  return formatEnv(spec, values, tokenText);
}

/** Adds `values` to a function's environment, beside the grant that lets it use what they name. */
export function addEnvironment<S extends EnvSpec>(fn: lambda.Function, spec: S, values: Partial<EnvValues<S>>): void {
  for (const [name, value] of Object.entries(environmentOf(fn, spec, values))) fn.addEnvironment(name, value);
}
