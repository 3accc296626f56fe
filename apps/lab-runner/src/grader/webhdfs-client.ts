import { CheckFailure, SandboxUnavailable, summariseError } from "./check-failure";

/** The fields of WebHDFS's FileStatus the checks use. */
export interface HdfsFileStatus {
  pathSuffix: string;
  type: "FILE" | "DIRECTORY" | "SYMLINK";
  length: number;
  replication: number;
  blockSize: number;
}

interface RemoteExceptionBody {
  RemoteException?: { exception?: string; message?: string };
}

const encodePath = (path: string) => path.split("/").map(encodeURIComponent).join("/");

/**
 * Read-only WebHDFS calls against one sandbox's NameNode, straight from lab-runner (never
 * through the sandbox's shell). OPEN answers with a redirect to the DataNode, which fetch follows.
 */
export class WebHdfsClient {
  constructor(
    private readonly baseUrl: string,
    private readonly signal: AbortSignal,
  ) {}

  /** null when the path does not exist. */
  async fileStatus(path: string): Promise<HdfsFileStatus | null> {
    const body = (await this.getJson(path, "GETFILESTATUS")) as { FileStatus: HdfsFileStatus } | null;
    return body?.FileStatus ?? null;
  }

  /** null when the directory does not exist. */
  async listStatus(path: string): Promise<HdfsFileStatus[] | null> {
    const body = (await this.getJson(path, "LISTSTATUS")) as { FileStatuses: { FileStatus: HdfsFileStatus[] } } | null;
    return body?.FileStatuses.FileStatus ?? null;
  }

  /** The number of blocks the NameNode has for a file. */
  async blockCount(path: string): Promise<number> {
    const body = (await this.getJson(path, "GETFILEBLOCKLOCATIONS")) as { BlockLocations?: { BlockLocation?: unknown[] } } | null;
    if (!body) throw new CheckFailure("missing", `HDFS path ${path} does not exist.`);
    return body.BlockLocations?.BlockLocation?.length ?? 0;
  }

  async read(path: string): Promise<Buffer> {
    const response = await this.request(path, "OPEN");
    if (response.status === 404) throw new CheckFailure("missing", `HDFS path ${path} does not exist.`);
    await this.ensureOk(response, path);
    return Buffer.from(await response.arrayBuffer());
  }

  private async getJson(path: string, op: string): Promise<unknown> {
    const response = await this.request(path, op);
    if (response.status === 404) return null;
    await this.ensureOk(response, path);
    return response.json();
  }

  private async request(path: string, op: string): Promise<Response> {
    try {
      return await fetch(`${this.baseUrl}${encodePath(path)}?op=${op}`, { signal: this.signal });
    } catch (error) {
      if (this.signal.aborted) throw error;
      throw new SandboxUnavailable(`Could not reach HDFS in your sandbox (${summariseError(error)}).`);
    }
  }

  private async ensureOk(response: Response, path: string): Promise<void> {
    if (response.ok) return;
    const body = (await response.json().catch(() => ({}))) as RemoteExceptionBody;
    const message = body.RemoteException?.message?.split("\n")[0] ?? `HTTP ${response.status}`;
    throw new CheckFailure("unreadable", `HDFS could not read ${path}: ${message}`);
  }
}
