import { SingleFileInterceptor } from './single-file.interceptor';
import { tooLarge } from './evidence.errors';

/**
 * Evidence uploads: multer stops reading at EVIDENCE_MAX_BYTES + 1 bytes, so a file just over the limit still
 * arrives and the service names the limit; anything larger is cut off here without being buffered whole.
 */
export const EvidenceUploadInterceptor = SingleFileInterceptor({
  readLimit: (config) => config.evidenceMaxBytes + 1,
  tooLarge: (config) => tooLarge(config.evidenceMaxBytes),
});
