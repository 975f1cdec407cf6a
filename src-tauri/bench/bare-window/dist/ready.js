// Reports readiness exactly as the command center does: after two animation frames.
requestAnimationFrame(() => requestAnimationFrame(() => window.__TAURI_INTERNALS__.invoke("ui_ready", { stage: "page" })));
