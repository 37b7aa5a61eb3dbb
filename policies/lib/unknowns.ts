/**
 * Stack policies link resources several ways (propertyDependencies, ARM ids, dependencies). In a
 * preview an id can be unknown while another link already proves compliance, so reads of ids are
 * "peeked": an unknown is remembered instead of aborting the whole policy. If a resource would then
 * FAIL, the remembered unknown is re-thrown, so the server reports "can't run during preview"
 * instead of a violation we cannot prove, and never a pass we cannot prove.
 */
import { UnknownValueError } from "@pulumi/policy";

export type Peeked<T> = { known: true; value: T } | { known: false };

export class UnknownTracker {
  private first: UnknownValueError | undefined;

  /** Runs `read`; an UnknownValueError is recorded and reported as `{known: false}`. */
  peek<T>(read: () => T): Peeked<T> {
    try {
      return { known: true, value: read() };
    } catch (e) {
      if (e instanceof UnknownValueError) {
        this.first ??= e;
        return { known: false };
      }
      throw e;
    }
  }

  get sawUnknown(): boolean {
    return this.first !== undefined;
  }

  /** Call before reporting a failure: if anything was unknown, the failure is not proven. */
  throwIfUnknown(): void {
    if (this.first) throw this.first;
  }
}
