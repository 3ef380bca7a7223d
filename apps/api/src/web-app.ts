import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/**
 * Paths the API answers itself (its controllers, Apollo and the queue board), never the web app's: a browser
 * opening one gets the API's answer, a 404 included. The app must not use these as its own routes.
 */
const API_PATHS = [
  /^\/(graphql|graphiql|evidence|uploads|health|metrics)(\/|$)/,
  /^\/admin\/queues(\/|$)/,
  /^\/plans\/[^/]+\/(bulletins\/|task-list\.xlsx)/,
  /^\/assignments\/[^/]+\/evidence(\/|$)/,
];

/** Vite's hashed bundles: a changed file gets a new name, so browsers may keep these for good. */
const ASSETS_CACHE = 'public, max-age=31536000, immutable';

const NOT_BUILT = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>折子工程</title></head>
<body><h1>网页端尚未构建</h1>
<p>请在项目目录运行 <code>npm run build:web</code>，然后重启 API；或设置 <code>WEB_DIST_DIR</code> 指向已构建的目录。</p>
<p>GraphQL 接口在 <code>/graphql</code>，照常可用。</p></body></html>
`;

/** A page navigation the web app's router should answer: not an API path, not a file, and HTML accepted. */
function isAppRoute(req: Request): boolean {
  return (
    (req.method === 'GET' || req.method === 'HEAD') &&
    !API_PATHS.some((path) => path.test(req.path)) &&
    !/\.[^/]*$/.test(req.path) &&
    req.accepts('html') === 'html'
  );
}

/**
 * The built web app at `/`, so browser and API share one origin (no CORS): its files as they are (`/graphiql`
 * may be a `graphiql.html` of the build), and index.html for any other page the app's router handles. Whether a
 * build exists is decided at start-up; without one, `/` says how to make it.
 */
export function serveWebApp(app: NestExpressApplication, dir: string): void {
  const root = resolve(dir);
  const index = join(root, 'index.html');
  if (!existsSync(index)) {
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (req.path !== '/' || !isAppRoute(req)) return next();
      res.status(200).set('Cache-Control', 'no-cache').type('html').send(NOT_BUILT);
    });
    return;
  }
  const assets = join(root, 'assets') + sep;
  app.useStaticAssets(root, {
    index: false,
    redirect: false,
    extensions: ['html'],
    setHeaders: (res: Response, path: string) => {
      res.set('Cache-Control', path.startsWith(assets) ? ASSETS_CACHE : 'no-cache');
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!isAppRoute(req)) return next();
    res.sendFile(index, { headers: { 'Cache-Control': 'no-cache' } });
  });
}
