/**
 * `care-team` → `CareTeam`: the form destination names take in construct ids and stack output names. Shared by the
 * construct and the operator CLI, which finds a destination's outputs by it (without loading the CDK).
 */
export function pascalCaseName(name: string): string {
  return name
    .split('-')
    .filter((part) => part.length > 0)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
