import { VerifiedTokens } from './verified-tokens';

describe('VerifiedTokens', () => {
  const at = (seconds: number) => seconds * 1000;

  it('holds claims until the second their exp names, then forgets them', () => {
    const tokens = new VerifiedTokens<{ sub: string; exp?: number }>();
    tokens.set('a', { sub: 'u1', exp: 100 });
    expect(tokens.get('a', at(99.999))).toEqual({ sub: 'u1', exp: 100 });
    expect(tokens.get('a', at(100))).toBeUndefined();
    expect(tokens.size).toBe(0);
    expect(tokens.get('a', at(50))).toBeUndefined();
  });

  it('holds claims without exp until pushed out', () => {
    const tokens = new VerifiedTokens<{ sub: string; exp?: number }>();
    tokens.set('a', { sub: 'u1' });
    expect(tokens.get('a', at(1e9))).toEqual({ sub: 'u1' });
  });

  it('keeps at most its limit, dropping the oldest', () => {
    const tokens = new VerifiedTokens<{ sub: string; exp?: number }>(2);
    tokens.set('a', { sub: 'u1' });
    tokens.set('b', { sub: 'u2' });
    tokens.set('c', { sub: 'u3' });
    expect(tokens.size).toBe(2);
    expect(tokens.get('a')).toBeUndefined();
    expect(tokens.get('b')).toEqual({ sub: 'u2' });
    expect(tokens.get('c')).toEqual({ sub: 'u3' });
  });
});
