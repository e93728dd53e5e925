/* global window, document, fetch, Headers, React, ReactDOM, GraphiQL */
/*
 * Bootstrap of the IDE page (/playground), served as a file because the
 * page's Content-Security-Policy allows no inline script. React, ReactDOM and
 * GraphiQL are the UMD globals loaded before this file, from this origin.
 *
 * The token pasted in the bar is kept in this tab's memory only and sent as
 * `Authorization: Bearer …` with every request, introspection included, so
 * the docs and autocompletion show exactly the schema of the token's role.
 * Headers typed into GraphiQL's headers editor are sent too and win.
 */
'use strict';

(function main() {
  // The page's style nonce (see playgroundCsp): GraphiQL's scroll lock puts it on the <style> it inserts.
  window.__webpack_nonce__ = document.currentScript.nonce;

  var container = document.getElementById('graphiql');
  var endpoint = container.dataset.endpoint;
  var tokenForm = document.getElementById('pg-token-form');
  var tokenInput = document.getElementById('pg-token');
  var clearButton = document.getElementById('pg-token-clear');
  var viewer = document.getElementById('pg-viewer');

  // GraphiQL keeps tabs, queries and history in localStorage by default. Queries
  // name customers and their data: keep them in this tab's memory, never on disk.
  var memory = new Map();
  var storage = {
    getItem: function (key) {
      return memory.has(key) ? memory.get(key) : null;
    },
    setItem: function (key, value) {
      memory.set(key, String(value));
    },
    removeItem: function (key) {
      memory.delete(key);
    },
    clear: function () {
      memory.clear();
    },
    get length() {
      return memory.size;
    },
  };

  /** A fetcher bound to one token: with a new token GraphiQL introspects again. */
  function createFetcher(token) {
    return async function fetcher(params, options) {
      var headers = new Headers({ 'content-type': 'application/json', accept: 'application/json' });
      if (token !== '') headers.set('authorization', 'Bearer ' + token);
      var extra = (options && options.headers) || {};
      Object.keys(extra).forEach(function (name) {
        headers.set(name, String(extra[name]));
      });
      var response = await fetch(endpoint, { method: 'POST', headers: headers, body: JSON.stringify(params), credentials: 'omit' });
      var text = await response.text();
      try {
        return JSON.parse(text);
      } catch {
        return { errors: [{ message: 'HTTP ' + response.status + ': the answer is not JSON' }] };
      }
    };
  }

  var DEFAULT_QUERY = [
    '# Paste a token in the bar above (sent as',
    '# "Authorization: Bearer …"): the docs and',
    '# completion then show what its role may read.',
    '# Run a query with Ctrl-Enter.',
    '{',
    '  viewer {',
    '    role',
    '    subjectId',
    '  }',
    '}',
    '',
  ].join('\n');

  var root = ReactDOM.createRoot(container);
  var fetcher = createFetcher('');
  // A new token mounts a new GraphiQL: the queries and tabs come back from `storage`, but
  // no result read with the previous token stays on screen under the new one.
  var generation = 0;

  function render() {
    root.render(
      React.createElement(GraphiQL, {
        key: String(generation),
        fetcher: fetcher,
        storage: storage,
        defaultQuery: DEFAULT_QUERY,
        isHeadersEditorEnabled: true,
        shouldPersistHeaders: false,
        showPersistHeadersSettings: false,
      }),
    );
  }

  /** Shows whom the token signs in (or why it is refused), asking the API itself. */
  async function showViewer() {
    viewer.classList.remove('pg-error');
    viewer.textContent = '…';
    try {
      var result = await fetcher({ query: '{ viewer { role subjectId } }', operationName: null, variables: {} }, {});
      if (result.data && result.data.viewer) {
        var who = result.data.viewer;
        viewer.textContent = who.subjectId ? who.role + ' · ' + who.subjectId : who.role;
        return;
      }
      var error = result.errors && result.errors[0];
      viewer.textContent = 'token refused: ' + (error ? error.message : 'no answer');
    } catch {
      viewer.textContent = 'gateway unreachable';
    }
    viewer.classList.add('pg-error');
  }

  var currentToken = '';

  function useToken(raw) {
    // Accept a pasted header value too: "Bearer eyJ…" → "eyJ…".
    var token = raw.trim().replace(/^Bearer\s+/i, '');
    // Enter fires both submit and change: introspect once per token.
    if (token === currentToken) return;
    currentToken = token;
    fetcher = createFetcher(token);
    generation += 1;
    render();
    return showViewer();
  }

  tokenForm.addEventListener('submit', function (event) {
    event.preventDefault();
    useToken(tokenInput.value);
  });
  tokenInput.addEventListener('change', function () {
    useToken(tokenInput.value);
  });
  clearButton.addEventListener('click', function () {
    tokenInput.value = '';
    useToken('');
  });

  render();
  showViewer();
})();
