/** The progress line of a long plan: only on a terminal, not under CI, only after the delay, erased at the end. */
import { startProgress } from "../../cli/progress";

function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (s: string) => written.push(s) };
}
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("on a terminal: rewritten in place with the count and the stage, erased by done()", async () => {
  const stream = fakeStream(true);
  const p = startProgress(stream, "mlvault plan dev", {}, { delayMs: 0, everyMs: 10 });
  p.registered(12);
  await wait(50);
  p.stage("running the policy pack");
  await wait(50);
  p.done();
  const text = stream.written.join("");
  expect(text).toContain("\r\u001b[Kmlvault plan dev: running the program, 12 resources registered (");
  expect(text).toContain("running the policy pack");
  expect(stream.written[stream.written.length - 1]).toBe("\r\u001b[K");
});

test.each([
  ["a pipe", false, {}],
  ["CI", true, { CI: "true" }],
])("silent in %s", async (_name, isTTY, env) => {
  const stream = fakeStream(isTTY);
  const p = startProgress(stream, "x", env, { delayMs: 0, everyMs: 5 });
  await wait(30);
  p.done();
  expect(stream.written).toEqual([]);
});

test("a short plan stays quiet (nothing before the delay)", async () => {
  const stream = fakeStream(true);
  const p = startProgress(stream, "x", {}, { delayMs: 10_000, everyMs: 5 });
  await wait(30);
  p.done();
  expect(stream.written).toEqual([]);
});
