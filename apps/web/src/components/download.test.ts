import { describe, expect, it } from 'vitest';
import { fileNameOf } from './download';

describe('the name of a downloaded file', () => {
  it('reads the UTF-8 name the API sends, then the plain one, then the fallback', () => {
    const header = `attachment; filename="______-2026-11-____.xlsx"; filename*=UTF-8''${encodeURIComponent('海淀区规划-2026-11-督查通报.xlsx')}`;
    expect(fileNameOf(header, 'x.xlsx')).toBe('海淀区规划-2026-11-督查通报.xlsx');
    expect(fileNameOf('attachment; filename="plain.xlsx"', 'x.xlsx')).toBe('plain.xlsx');
    expect(fileNameOf(`attachment; filename*=UTF-8''%E0%A4%A`, 'x.xlsx')).toBe('x.xlsx');
    expect(fileNameOf(null, '通报.xlsx')).toBe('通报.xlsx');
  });
});
