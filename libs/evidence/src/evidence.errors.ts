import { AppError, ErrorCode } from '@zhezi/core';

/** “20 MB”, “64 KB”, “500 字节”, for messages. */
export function formatBytes(n: number): string {
  const units: [number, string][] = [
    [1024 * 1024, 'MB'],
    [1024, 'KB'],
  ];
  for (const [size, unit] of units) {
    if (n >= size) return `${Number((n / size).toFixed(1))} ${unit}`;
  }
  return `${n} 字节`;
}

/** BAD_USER_INPUT on the `file` field: what the upload route and the service report about a file. */
export const badFile = (message: string, details: Record<string, unknown> = {}) =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, { field: 'file', ...details });

export const tooLarge = (maxBytes: number) =>
  badFile(`文件超过大小上限 ${formatBytes(maxBytes)}，请压缩或拆分后再上传`, { maxBytes });
