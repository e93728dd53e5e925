/**
 * The Content-Security-Policy of the IDE page and its assets. Scripts,
 * styles and requests are allowed from the gateway's own origin only, and
 * no inline script runs (the bootstrap is a served file), so the page can
 * neither load nor send anything elsewhere. `data:` is allowed for fonts and
 * images only: GraphiQL's stylesheet embeds its fonts and icons as data URLs,
 * which are part of that file, not requests (and the page's empty favicon is
 * one, so the browser asks for no /favicon.ico).
 *
 * `styleNonce`, one per page response: GraphiQL's dialogs lock scrolling by
 * inserting a <style> element (react-remove-scroll), which carries the nonce
 * the bootstrap hands over as `__webpack_nonce__`. Nothing else inline runs.
 */
export function playgroundCsp(styleNonce?: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    styleNonce === undefined ? "style-src 'self'" : `style-src 'self' 'nonce-${styleNonce}'`,
    "font-src 'self' data:",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The page: a token field above GraphiQL. All behaviour is in assets/playground.js. */
export function playgroundPage(opts: { assetsPath: string; graphqlPath: string; styleNonce: string }): string {
  const asset = (name: string): string => `${opts.assetsPath}/${name}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Privacy Gateway · GraphiQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${asset('graphiql.min.css')}">
<link rel="stylesheet" href="${asset('playground.css')}">
</head>
<body>
<header class="pg-bar">
  <strong class="pg-title">Privacy Gateway</strong>
  <form id="pg-token-form" class="pg-token" autocomplete="off">
    <label for="pg-token">Token</label>
    <input id="pg-token" name="token" type="password" spellcheck="false" autocomplete="off"
      placeholder="paste a token: sent as Authorization: Bearer …">
    <button type="submit">Use token</button>
    <button type="button" id="pg-token-clear">Clear</button>
  </form>
  <output id="pg-viewer" class="pg-viewer" aria-live="polite">anonymous</output>
</header>
<main id="graphiql" class="pg-ide" data-endpoint="${opts.graphqlPath}">Loading GraphiQL…</main>
<script src="${asset('react.production.min.js')}"></script>
<script src="${asset('react-dom.production.min.js')}"></script>
<script src="${asset('graphiql.min.js')}"></script>
<script src="${asset('playground.js')}" nonce="${opts.styleNonce}"></script>
</body>
</html>
`;
}
