// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native addons stay outside the bundle (STACK-NOTES: better-sqlite3 and onnxruntime-node); h5wasm too, because
  // its Node build instantiates WebAssembly and reaches the host filesystem (NODERAWFS) at run time.
  serverExternalPackages: ['better-sqlite3', 'onnxruntime-node', '@napi-rs/canvas', 'tsx', 'esbuild', 'h5wasm'],
  poweredByHeader: false,
  reactStrictMode: true,
  // Type errors are caught by `npm test` (tsc --noEmit over the whole repo); the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  devIndicators: false,
};

export default nextConfig;
