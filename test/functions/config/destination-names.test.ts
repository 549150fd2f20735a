import { pascalCaseName } from '../../../functions/config/destination-names';

describe('pascalCaseName', () => {
  it.each([
    ['ops', 'Ops'],
    ['care-team', 'CareTeam'],
    ['a-b-c2', 'ABC2'],
    ['double--dash', 'DoubleDash'],
  ])('%s → %s', (name, expected) => {
    expect(pascalCaseName(name)).toBe(expected);
  });
});
