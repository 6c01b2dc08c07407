/**
 * Bundles Mailpit's mailbox UI (server/ui-src/app.js) into server/ui/dist/, where its Go server
 * embeds it from. Run by build.sh inside a copy of the Mailpit module's source.
 *
 * Mailpit's own lockfile names exact versions the npm registry here may not serve, and its dev
 * dependencies are mostly linters and browsers; so only what the bundle needs is installed, at the
 * newest versions the module's package.json allows. The API documentation page (docs.js, RapiDoc)
 * is left out: the mailbox does not need it.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";

const BUILD_TOOLS = ["esbuild", "esbuild-plugin-vue-next", "esbuild-sass-plugin", "@vue/compiler-sfc"];
const NOT_NEEDED = ["rapidoc"];

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
for (const name of NOT_NEEDED) delete pkg.dependencies[name];
pkg.devDependencies = Object.fromEntries(
  Object.entries(pkg.devDependencies).filter(([name]) => BUILD_TOOLS.includes(name)),
);
delete pkg.scripts;
writeFileSync("package.json", `${JSON.stringify(pkg, null, 2)}\n`);
rmSync("package-lock.json", { force: true });

execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { stdio: "inherit" });

const script = `
import * as esbuild from "esbuild";
import pluginVue from "esbuild-plugin-vue-next";
import { sassPlugin } from "esbuild-sass-plugin";
await esbuild.build({
  entryPoints: ["server/ui-src/app.js"],
  bundle: true,
  minify: true,
  define: {
    __VUE_OPTIONS_API__: "true",
    __VUE_PROD_DEVTOOLS__: "false",
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: "false",
  },
  outdir: "server/ui/dist/",
  plugins: [pluginVue(), sassPlugin({ silenceDeprecations: ["import"], quietDeps: true })],
  loader: { ".svg": "file", ".woff": "file", ".woff2": "file" },
  logLevel: "warning",
});
`;
writeFileSync("sitepod-bundle.mjs", script);
execFileSync(process.execPath, ["sitepod-bundle.mjs"], { stdio: "inherit" });
