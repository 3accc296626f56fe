import { describe, expect, it } from "vitest";
import { distinctResidentBytes } from "./process-tree";

const mib = 1024 * 1024;
const argv = (...args: string[]) => `${args.join("\0")}\0`;
const jvm = argv("java", "-Xmx512m", "org.apache.spark.deploy.SparkSubmit", "averages.py");

describe("distinctResidentBytes", () => {
  it("counts a spawned child that has not exec'd yet (its parent's command line and size) once, with its parent", () => {
    const processes = [
      { pid: 10, ppid: 1, cmdline: argv("java", "kafka.Kafka"), rssBytes: 200 * mib },
      { pid: 20, ppid: 1, cmdline: jvm, rssBytes: 500 * mib },
      { pid: 21, ppid: 20, cmdline: jvm, rssBytes: 500 * mib + 4096 },
    ];
    expect(distinctResidentBytes(processes)).toBe(700 * mib);
  });

  it("counts children that run something else, or have grown apart from their parent, in full", () => {
    const processes = [
      { pid: 20, ppid: 1, cmdline: jvm, rssBytes: 500 * mib },
      { pid: 21, ppid: 20, cmdline: argv("chmod", "644", "file"), rssBytes: 2 * mib },
      { pid: 30, ppid: 1, cmdline: argv("python", "-m", "pyspark.daemon"), rssBytes: 40 * mib },
      { pid: 31, ppid: 30, cmdline: argv("python", "-m", "pyspark.daemon"), rssBytes: 90 * mib },
      { pid: 40, ppid: 99, cmdline: jvm, rssBytes: 500 * mib },
    ];
    expect(distinctResidentBytes(processes)).toBe(1132 * mib);
  });
});
