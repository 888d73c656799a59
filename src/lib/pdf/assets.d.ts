/**
 * Wasm imports (wrangler's default CompiledWasm rule): a module compiled at deploy time. The `*.ttf`
 * module (bytes, from the Data rule in wrangler.toml) is declared by `wrangler types` in
 * worker-configuration.d.ts.
 */
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
