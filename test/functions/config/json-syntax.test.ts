import fc from 'fast-check';
import { jsonSyntaxProblem } from '../../../functions/config/json-syntax';

describe('jsonSyntaxProblem', () => {
  it('finds nothing wrong in any JSON text, and something wrong in every text JSON.parse refuses', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2), (value, indent) => {
        expect(jsonSyntaxProblem(JSON.stringify(value, null, indent))).toBeUndefined();
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(jsonSyntaxProblem(text) === undefined).toBe(valid);
      }),
    );
  });

  it('counts lines and columns from 1, as editors do', () => {
    expect(jsonSyntaxProblem('{\n  "a": tru\n}')).toEqual({
      line: 2,
      column: 8,
      message:
        'expected a value (a string in double quotes, a number, true, false, null, an object or an array), found "t"',
    });
    expect(jsonSyntaxProblem('[1] [2]')).toEqual({
      line: 1,
      column: 5,
      message: 'expected the end of the file after the value, found "["',
    });
  });
});
