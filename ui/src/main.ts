import { createApp } from "vue";
import { createPinia } from "pinia";
import ElementPlus from "element-plus";
import zhCn from "element-plus/es/locale/lang/zh-cn";
import "element-plus/dist/index.css";
import "element-plus/theme-chalk/dark/css-vars.css";
import "leaflet/dist/leaflet.css";
import "./styles/main.css";

import App from "./App.vue";
import { router } from "./router";

document.documentElement.classList.add("dark");
createApp(App).use(createPinia()).use(router).use(ElementPlus, { locale: zhCn }).mount("#app");
