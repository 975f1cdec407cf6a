import { defineConfig } from "vitest/config";
import vue from "@vitejs/plugin-vue";

// The desktop loads ui/dist from the binary (no server at run time); `npm run build` must run before cargo.
export default defineConfig({
  plugins: [vue()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { target: "safari15", chunkSizeWarningLimit: 2000 },
  test: { environment: "jsdom" },
});
