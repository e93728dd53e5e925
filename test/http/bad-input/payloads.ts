/*
 * Strings that look like attacks on what sits behind an argument: SQL, NUL
 * bytes, markup, template engines, paths, sizes and broken Unicode. The
 * gateway must treat each as data: refuse it as bad input or store and return
 * it verbatim, and never let it change a statement.
 *
 * None of them contains a pattern the leak check of ./responses.ts looks for
 * (a FROM … WHERE, a driver name, a stack frame), so an echo of the input in
 * an error message is not mistaken for a leak.
 */
export const INJECTION_PAYLOADS: ReadonlyArray<readonly [label: string, value: string]> = [
  ['SQL tautology', "' OR '1'='1"],
  ['SQL stacked statement', '1; DROP TABLE customers; --'],
  ['SQL union', '" UNION SELECT 1, 2, 3 --'],
  ['SQL comment and quote', "admin'/*"],
  ['NUL character', '\u0000'],
  ['URL-encoded NUL', '%00'],
  ['script tag', '<script>alert(1)</script>'],
  ['template expression', '{{7*7}}${7*7}'],
  ['path traversal', '../../etc/passwd'],
  ['NoSQL operator', '{"$gt": ""}'],
  ['lone high surrogate', '\ud800'],
  ['lone low surrogate inside text', 'a\udc00b'],
  ['right-to-left override', 'abc\u202edef'],
  ['emoji (4-byte UTF-8)', '\u{1F600}'],
  ['10 kB string', 'x'.repeat(10_240)],
  ['empty string', ''],
];

/**
 * The payloads also written into the document as literals (graphql-js
 * escapes them as a client would): those whose escaping could go wrong.
 * The others only repeat, in a literal, what their variable form proves.
 */
export const LITERAL_PAYLOADS: ReadonlySet<string> = new Set([
  'SQL tautology',
  'SQL union',
  'NUL character',
  'lone high surrogate',
  'right-to-left override',
  '10 kB string',
]);

/** A customer name and a complaint that look like SQL: valid input, which must be stored and read back verbatim. */
export const VALID_LOOKALIKES = {
  name: "Robert'); DROP TABLE customers;--",
  complaint: "' OR '1'='1 -- <script>alert(1)</script> {{7*7}} ../../etc/passwd",
} as const;
