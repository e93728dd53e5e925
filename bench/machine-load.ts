import os from 'node:os';

/** CPU time all cores of the machine have spent busy so far, in milliseconds. */
function machineBusyMs(): number {
  return os.cpus().reduce((sum, cpu) => sum + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq, 0);
}

export interface CpuSpan {
  /** Ends the span: what the measured server used per request, and how busy everything else kept the machine. */
  end(opts: { serverCpuMicros: number; requests: number }): { serverCpuMsPerRequest: number; otherCoresBusy: number };
}

/**
 * The machine is shared (other processes, other test runs), so each round
 * records how many cores were busy with processes other than the bench's own
 * (server child + load generator): a round with a high value was measured
 * under contention. The server's CPU time per request is the contention-proof
 * companion of requests/s: time slices lost to others do not count in it.
 */
export function startCpuSpan(serverCpuMicrosAtStart: number): CpuSpan {
  const wallStart = process.hrtime.bigint();
  const busyStart = machineBusyMs();
  const selfStart = process.cpuUsage();
  return {
    end({ serverCpuMicros, requests }) {
      const wallMs = Number(process.hrtime.bigint() - wallStart) / 1e6;
      const self = process.cpuUsage(selfStart);
      const serverMs = (serverCpuMicros - serverCpuMicrosAtStart) / 1000;
      const selfMs = (self.user + self.system) / 1000;
      const othersMs = Math.max(0, machineBusyMs() - busyStart - serverMs - selfMs);
      return {
        serverCpuMsPerRequest: requests === 0 ? Number.NaN : serverMs / requests,
        otherCoresBusy: othersMs / wallMs,
      };
    },
  };
}
