import path from 'node:path';
import { packageRoot } from '../package-root';

/*
 * The files the IDE page loads, all from this package and its node_modules,
 * so that it works on a network with no internet (no CDN at run time).
 *
 * Why GraphiQL 4.1.2 with React 18.3.1: GraphiQL is the maintained successor
 * of GraphQL Playground. Its 4.x line is the newest that ships a prebuilt
 * browser bundle (`graphiql.min.js`, UMD, expecting the `React` and
 * `ReactDOM` globals) and stylesheet, so the gateway serves files straight
 * from npm with no build step. GraphiQL 5 (the line developed now) is
 * ESM-only with Monaco editor workers and needs a bundler; its output would
 * have to be built on every install. React 19 ships no UMD build, hence
 * React 18. Upgrade path: bundle graphiql 5 with a pure-JS bundler
 * (esbuild-wasm) into dist/ at build time and serve that folder here.
 */

export interface PlaygroundAsset {
  /** Absolute path of the file served. */
  file: string;
  contentType: string;
}

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** A package's folder, found through its package.json (react's `exports` do not list `umd/`). */
const packageDir = (name: string): string => path.dirname(require.resolve(`${name}/package.json`));

/** Served under /playground/assets/<name>; anything else there is a 404. */
export function playgroundAssets(): ReadonlyMap<string, PlaygroundAsset> {
  const own = path.join(packageRoot(__dirname), 'src', 'ide', 'public');
  return new Map<string, PlaygroundAsset>([
    ['react.production.min.js', { file: path.join(packageDir('react'), 'umd', 'react.production.min.js'), contentType: JS }],
    ['react-dom.production.min.js', { file: path.join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'), contentType: JS }],
    ['graphiql.min.js', { file: path.join(packageDir('graphiql'), 'graphiql.min.js'), contentType: JS }],
    ['graphiql.min.css', { file: path.join(packageDir('graphiql'), 'graphiql.min.css'), contentType: CSS }],
    ['playground.js', { file: path.join(own, 'playground.js'), contentType: JS }],
    ['playground.css', { file: path.join(own, 'playground.css'), contentType: CSS }],
  ]);
}
