/** Helpers of the construct tests: an app with the project's feature flags, and look-ups in a synthesized template. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, type CfnElement, type Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';

export type Json = Record<string, unknown>;

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

// Synthesize with cdk.json's feature flags, so the tests see the template `cdk synth` produces.
const PROJECT_CONTEXT = (
  JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }
).context;

/**
 * An app with cdk.json's context, and `context` on top of it. Its stacks skip bundling (an empty
 * `aws:cdk:bundling-stacks`, as `cdk synth --exclusively` does): templates are the same but for asset hashes, and
 * no test waits for esbuild. `test/lib/bundling.test.ts` bundles for real, to check what deploys.
 */
export const projectApp = (context: Record<string, unknown> = {}) =>
  new App({ context: { ...PROJECT_CONTEXT, ...QUIET_CONTEXT, ...context } });

/**
 * Bundling skipped, and the warnings tests provoke on purpose kept in the assembly (where `Annotations` reads
 * them) rather than also printed as a validation report.
 */
const QUIET_CONTEXT = { [BUNDLING_STACKS]: [], '@aws-cdk/core:annotationsInValidationReport': false };

/** The logical id of a construct's CloudFormation resource. */
export function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

export const ref = (id: string) => ({ Ref: id });
export const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

/** Every statement of the inline policies attached to a function's role. */
export function statementsOf(template: Template, functionId: string): Statement[] {
  const fn = template.toJSON().Resources[functionId] as { Properties: { Role: { 'Fn::GetAtt': [string, string] } } };
  return statementsOfRole(template, fn.Properties.Role['Fn::GetAtt'][0]);
}

/** Every statement of the inline policies attached to a role. */
export function statementsOfRole(template: Template, roleId: string): Statement[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as {
    Properties: { Roles: unknown[]; PolicyDocument: { Statement: Statement[] } };
  }[];
  return policies
    .filter((p) => p.Properties.Roles.some((r) => JSON.stringify(r) === JSON.stringify(ref(roleId))))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** The resources that statements granting `action` apply to, as JSON strings for easy comparison. */
export function resourcesFor(statements: Statement[], action: string): string[] {
  return statements
    .filter((s) => s.Effect === 'Allow' && actionsOf(s).includes(action))
    .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]))
    .map((r) => JSON.stringify(r));
}
