import { NETWORK_MESSAGE } from '../errors';

/** The file name a `Content-Disposition` header gives: its UTF-8 `filename*` first, else the plain one. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1]);
    } catch {
      // A malformed escape: the plain name, or the fallback, still names the file.
    }
  }
  return /filename="([^"]+)"/i.exec(disposition)?.[1] ?? fallback;
}

/**
 * Downloads a file the API makes (an Excel export) with the session cookie, and saves it under the name the
 * API gives. The CSRF header is sent as for any request from the app. Throws with the API's message (Chinese)
 * when it refuses.
 */
export async function downloadFile(url: string, fallbackName: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, {
      credentials: 'same-origin',
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
  } catch {
    throw new Error(NETWORK_MESSAGE);
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { message?: unknown } | null;
    throw new Error(typeof body?.message === 'string' ? body.message : `下载失败（${response.status}）`);
  }
  const name = fileNameOf(response.headers.get('content-disposition'), fallbackName);
  const href = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click is handled; the next task may release it.
  setTimeout(() => URL.revokeObjectURL(href), 0);
  return name;
}
