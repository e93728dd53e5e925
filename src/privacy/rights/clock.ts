/** Now, to the whole second: what a DATETIME column keeps on both databases, so a value reads back as written. */
export function wholeSecondNow(): Date {
  return new Date(Math.floor(Date.now() / 1000) * 1000);
}
