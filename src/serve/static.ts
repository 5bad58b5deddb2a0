/**
 * The dashboard's files, from `dist/dashboard/` (built by `npm run build`): `index.html` for `/` and
 * for every other path that names no file (the dashboard routes in the browser), the files
 * themselves with their content type, and a long cache for hashed assets. Nothing outside the
 * directory is ever served: paths are decoded once, must not contain `..`, NUL or backslashes, and
 * are resolved and checked (symbolic links included) to stay inside it.
 */
import { createReadStream, existsSync, realpathSync, statSync, type Stats } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** A build tool's content hash in the file name (`index-3f9a1c2b.js`, `app.B8x_Qk1z.css`). */
const HASHED = /[.-][A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

/** One year, never revalidated: a hashed file's content never changes under its name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** `dist/dashboard/` of this installation (the bundle lives in `dist/bundle/`, the sources in `src/serve/`). */
export function defaultDashboardDir(): string {
  return fileURLToPath(new URL('../../dist/dashboard/', import.meta.url));
}

const MISSING_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>prodeng</title></head>
<body>
<h1>prodeng serve</h1>
<p>The dashboard has not been built: run <code>npm run build</code> in the prodeng directory, then reload this page.</p>
<p>The API answers meanwhile: <a href="/api/v1/overview">/api/v1/overview</a>, <a href="/api/openapi.json">/api/openapi.json</a>, <a href="/metrics">/metrics</a>, <a href="/healthz">/healthz</a>.</p>
</body>
</html>
`;

export interface StaticFiles {
  /** Serves a GET or HEAD of a non-API path; `send` writes headers shared by every response. */
  serve(request: IncomingMessage, response: ServerResponse, pathname: string, headers: Record<string, string>): void;
}

export function staticFiles(directory: string): StaticFiles {
  const root = resolve(directory);

  /** The real path of the file `pathname` names inside the root, or null. */
  const lookup = (pathname: string): { path: string; stats: Stats } | null => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return null;
    }
    if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').some((part) => part === '..')) return null;
    const candidate = resolve(root, `.${decoded}`);
    if (candidate !== root && !candidate.startsWith(root + sep)) return null;
    try {
      const real = realpathSync(candidate);
      const realRoot = realpathSync(root);
      if (real !== realRoot && !real.startsWith(realRoot + sep)) return null;
      const stats = statSync(real);
      return stats.isFile() ? { path: real, stats } : null;
    } catch {
      return null;
    }
  };

  const send = (
    request: IncomingMessage,
    response: ServerResponse,
    file: { path: string; stats: Stats },
    status: number,
    headers: Record<string, string>,
    cache: string,
  ): void => {
    const etag = `"${file.stats.size.toString(16)}-${Math.floor(file.stats.mtimeMs).toString(16)}"`;
    const type = CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream';
    const common = { ...headers, 'content-type': type, 'cache-control': cache, etag };
    if (status === 200 && request.headers['if-none-match'] === etag) {
      response.writeHead(304, common).end();
      return;
    }
    response.writeHead(status, { ...common, 'content-length': String(file.stats.size) });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    const stream = createReadStream(file.path);
    stream.on('error', () => response.destroy());
    stream.pipe(response);
  };

  return {
    serve(request, response, pathname, headers) {
      const index = lookup('/index.html');
      if (index === null) {
        // Not built (a checkout without `npm run build`): say what to do, in a page without script.
        const body = Buffer.from(MISSING_PAGE);
        response.writeHead(CONTENT_TYPES[extname(pathname).toLowerCase()] === undefined ? 200 : 404, {
          ...headers,
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          'content-length': String(body.length),
        });
        response.end(request.method === 'HEAD' ? undefined : body);
        return;
      }
      const file = pathname === '/' ? index : lookup(pathname);
      if (file !== null) {
        const hashed = HASHED.test(file.path) && file.path !== index.path;
        send(request, response, file, 200, headers, hashed ? IMMUTABLE : 'no-cache');
        return;
      }
      // A path ending in a file type served here (.js, .css, .png…) names a file that is not there:
      // HTML in its place would only confuse (and nosniff would block it as a script anyway). Any
      // other path is the dashboard's, dots and all (`/systems/shop.example:443`).
      if (CONTENT_TYPES[extname(pathname).toLowerCase()] !== undefined) {
        const body = Buffer.from('not found\n');
        response.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'content-length': String(body.length) });
        response.end(request.method === 'HEAD' ? undefined : body);
        return;
      }
      send(request, response, index, 200, headers, 'no-cache');
    },
  };
}

/** Whether a built dashboard is there. */
export function dashboardBuilt(directory: string): boolean {
  return existsSync(join(directory, 'index.html'));
}
