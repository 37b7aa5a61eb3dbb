/**
 * A generated file that is checked in: written by default, compared with `--check` (exit 1 with `hint` when the
 * checked-in copy differs), so a test or CI can tell that someone forgot to regenerate it.
 */
const fs = require("fs");
const path = require("path");

function writeOrCheck(root, file, text, hint, wroteMessage) {
  const shown = path.relative(root, file);
  if (process.argv.includes("--check")) {
    if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) {
      console.error(`${shown} is stale${hint}`);
      process.exit(1);
    }
    return;
  }
  fs.writeFileSync(file, text);
  console.log(wroteMessage ?? `wrote ${shown}`);
}

module.exports = { writeOrCheck };
