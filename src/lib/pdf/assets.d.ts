/** Binary modules (wrangler module rules): wasm compiled at deploy time, fonts as bytes. */
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
declare module "*.ttf" {
  const data: ArrayBuffer;
  export default data;
}
