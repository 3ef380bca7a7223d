/**
 * A Content-Disposition header for a download: an ASCII fallback for old clients, and the real name as UTF-8
 * (RFC 6266 / RFC 8187), so “进展报告.pdf” arrives as itself.
 */
export function contentDisposition(fileName: string, disposition: 'attachment' | 'inline' = 'attachment') {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
