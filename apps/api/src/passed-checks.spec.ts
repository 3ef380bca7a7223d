import { PassedChecks } from './passed-checks';

describe('PassedChecks', () => {
  it('keeps at most its limit, forgetting the oldest, and never a key over its length', () => {
    const passed = new PassedChecks(2, 3);
    passed.add('a');
    passed.add('b');
    passed.add('c');
    passed.add('long');
    expect(['a', 'b', 'c', 'long'].map((k) => passed.has(k))).toEqual([false, true, true, false]);
  });
});
