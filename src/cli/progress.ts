import { Presets, SingleBar } from 'cli-progress';

export interface Progress {
  update(done: number, total?: number): void;
  stop(): void;
}

/**
 * A bar on a terminal; in a pipe or CI log, a line per 10% so the log stays
 * short and readable. Shared by every long-running command.
 */
export function progressReporter(task: string, unit: string, total: number, stream: NodeJS.WriteStream = process.stdout): Progress {
  if (stream.isTTY) {
    const bar = new SingleBar(
      { format: `${task} [{bar}] {percentage}% | {value}/{total} ${unit} | {duration_formatted}`, stream },
      Presets.shades_classic,
    );
    bar.start(total, 0);
    return {
      update: (done, newTotal) => {
        if (newTotal !== undefined) bar.setTotal(newTotal);
        bar.update(done);
      },
      stop: () => bar.stop(),
    };
  }
  let lastTenth = 0;
  let currentTotal = total;
  return {
    update: (done, newTotal) => {
      if (newTotal !== undefined) currentTotal = newTotal;
      if (currentTotal <= 0) return;
      const tenth = Math.floor((done * 10) / currentTotal);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        stream.write(`${task}: ${done}/${currentTotal} ${unit} (${tenth * 10}%)\n`);
      }
    },
    stop: () => undefined,
  };
}
