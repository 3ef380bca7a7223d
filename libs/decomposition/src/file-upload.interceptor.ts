import { AppError, ErrorCode } from '@zhezi/core';
import { formatBytes, SingleFileInterceptor } from '@zhezi/evidence';

/** `POST /uploads`: a plan document or task table, cut off at UPLOAD_MAX_BYTES. */
export const FileUploadInterceptor = SingleFileInterceptor({
  readLimit: (config) => config.files.uploadMaxBytes,
  tooLarge: ({ files: { uploadMaxBytes } }) =>
    new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `文件超过大小上限 ${formatBytes(uploadMaxBytes)}`, {
      field: 'file',
      maxBytes: uploadMaxBytes,
    }),
});
