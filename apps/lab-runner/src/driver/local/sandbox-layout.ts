import path from "node:path";

/** Every path of one local sandbox, all under its own directory so destroy is one rm -rf. */
export function sandboxLayout(root: string) {
  return {
    root,
    stateFile: path.join(root, "sandbox.json"),
    /** Generated CLI wrappers, first on the PATH of exec'd commands. */
    bin: path.join(root, "bin"),
    /** cwd and HOME of exec'd commands, so learners' files stay inside the sandbox. */
    workspace: path.join(root, "workspace"),
    logs: path.join(root, "logs"),
    tmp: path.join(root, "tmp"),
    kafkaConf: path.join(root, "kafka/conf"),
    kafkaData: path.join(root, "kafka/data"),
    hadoopConf: path.join(root, "hdfs/conf"),
    hdfsName: path.join(root, "hdfs/name"),
    hdfsData: path.join(root, "hdfs/data"),
    sparkConf: path.join(root, "spark/conf"),
    sparkWarehouse: path.join(root, "spark/warehouse"),
    sparkLocal: path.join(root, "spark/local"),
  };
}
export type SandboxLayout = ReturnType<typeof sandboxLayout>;
