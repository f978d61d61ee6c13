/** What the figures were measured on: they mean little without it. */
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';

export interface MachineDescription {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly system: string;
  /** The 1-minute load average: other work on the machine shows in the timings. */
  readonly loadAverage: string;
  readonly node: string;
  readonly chromium: string;
}

export function describeMachine(chromiumVersion: string): MachineDescription {
  const processors = cpus();
  return {
    cpuModel: processors[0]?.model.trim().replace(/\s+/g, ' ') ?? 'unknown CPU',
    cores: processors.length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    system: `${platform()} ${release()} ${arch()}`,
    loadAverage: loadavg()[0]!.toFixed(2),
    node: process.version,
    chromium: chromiumVersion,
  };
}
