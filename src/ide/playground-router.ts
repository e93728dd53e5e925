import { randomBytes } from 'node:crypto';
import { Router, type Response } from 'express';
import { playgroundAssets } from './playground-assets';
import { playgroundCsp, playgroundPage } from './playground-page';

export const PLAYGROUND_PATH = '/playground';

function secureHeaders(res: Response, styleNonce?: string): void {
  res.set({
    'Content-Security-Policy': playgroundCsp(styleNonce),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
  });
}

/**
 * GET /playground (GraphiQL) and its assets. The page carries no data and no
 * credential: the token an admin pastes stays in the browser tab's memory and
 * goes to `graphqlPath` as `Authorization: Bearer …`, where the API decides
 * what it may read, introspection (docs, autocompletion) included.
 */
export function playgroundRouter(opts: { graphqlPath: string }): Router {
  const assetsPath = `${PLAYGROUND_PATH}/assets`;
  const assets = playgroundAssets();
  const router = Router({ strict: false });
  router.get(PLAYGROUND_PATH, (_req, res) => {
    const styleNonce = randomBytes(16).toString('base64');
    secureHeaders(res, styleNonce);
    res.set('Cache-Control', 'no-store');
    res.type('html').send(playgroundPage({ assetsPath, graphqlPath: opts.graphqlPath, styleNonce }));
  });
  router.get(`${assetsPath}/:name`, (req, res, next) => {
    const asset = assets.get(req.params.name);
    if (asset === undefined) {
      next();
      return;
    }
    secureHeaders(res);
    // Revalidated on each load (ETag): an upgraded package is picked up at once.
    res.sendFile(asset.file, { headers: { 'Content-Type': asset.contentType, 'Cache-Control': 'no-cache' } }, (error) => {
      if (error && !res.headersSent) next(error);
    });
  });
  return router;
}
