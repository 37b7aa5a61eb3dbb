/** Calls into the pack's gRPC server: bounded concurrency, deadlines, and failures turned into one scrubbed line. */
import * as grpc from "@grpc/grpc-js";
import type * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { PolicyPackBootError, summarizeStderr, type PackProcess } from "./analyzerProcess";
import { PolicyPackRunError, type AnalyzerTimeouts } from "./analyzerTypes";
import type { SecretScrubber } from "./analyzerWire";

export /** Runs `fn` over `items` with at most `limit` in flight; results keep the input order. */
async function mapBounded<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i], i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export /** Unary calls with a deadline, turning every failure into one printable, scrubbed line. */
class Rpc {
  constructor(
    private readonly client: analyzerGrpc.AnalyzerClient,
    private readonly proc: PackProcess,
    private readonly scrubber: SecretScrubber,
    private readonly timeouts: AnalyzerTimeouts,
  ) {}

  unary<R>(method: string, request: unknown, label: string, deadlineMs = this.timeouts.callMs): Promise<R> {
    const fn = (this.client as unknown as Record<string, (...args: unknown[]) => unknown>)[method].bind(this.client);
    return new Promise<R>((resolve, reject) => {
      fn(request, new grpc.Metadata(), { deadline: Date.now() + deadlineMs }, (err: grpc.ServiceError | null, res: R) => {
        if (!err) return resolve(res);
        // A dead pack shows up as UNAVAILABLE slightly before its exit event: wait for it briefly,
        // so the error says "exited" with the pack's own last words instead of a transport error.
        const settle = err.code === grpc.status.UNAVAILABLE ? this.proc.waitForExit(1000) : Promise.resolve();
        void settle.then(() => reject(this.describe(err, label, deadlineMs)));
      });
    });
  }

  private describe(err: grpc.ServiceError, label: string, deadlineMs: number): Error {
    if (this.proc.hasExited) return new PolicyPackBootError(this.proc.describeFailure(`exited during ${label}`), this.proc.pid);
    if (err.code === grpc.status.DEADLINE_EXCEEDED) {
      return new PolicyPackRunError(this.scrubber.scrub(`policy pack did not answer ${label} within ${deadlineMs} ms`));
    }
    const detail = summarizeStderr(err.details || err.message);
    return new PolicyPackRunError(this.scrubber.scrub(`policy pack failed in ${label}: ${detail}`));
  }
}
