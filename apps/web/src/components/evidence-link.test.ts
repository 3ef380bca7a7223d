import { describe, expect, it } from 'vitest';
import { fileSize } from './evidence-link';

describe('fileSize', () => {
  it('reads bytes, kilobytes and megabytes', () => {
    expect(fileSize(512)).toBe('512 B');
    expect(fileSize(12_345)).toBe('12 KB');
    expect(fileSize(3.4 * 1024 * 1024)).toBe('3.4 MB');
  });
});
