// Bundles the extension into one file (dist/extension.js), or the unit tests (out/unit/).
import * as esbuild from "esbuild";
import { readdirSync } from "node:fs";

const args = new Set(process.argv.slice(2));
const production = args.has("--production");

if (args.has("--tests")) {
  await esbuild.build({
    entryPoints: readdirSync("test/unit")
      .filter((f) => f.endsWith(".test.ts"))
      .map((f) => `test/unit/${f}`),
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outdir: "out/unit",
    sourcemap: "inline",
    logLevel: "warning",
  });
} else {
  const options = {
    entryPoints: ["src/extension.ts"],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node18",
    outfile: "dist/extension.js",
    external: ["vscode"],
    minify: production,
    sourcemap: !production,
    logLevel: "info",
  };
  if (args.has("--watch")) {
    await (await esbuild.context(options)).watch();
  } else {
    await esbuild.build(options);
  }
}
