import { createApp, type Plugin } from "vue";
import { createPinia } from "pinia";
import {
  ElAlert,
  ElAutocomplete,
  ElButton,
  ElCard,
  ElConfigProvider,
  ElDescriptions,
  ElDescriptionsItem,
  ElForm,
  ElFormItem,
  ElIcon,
  ElInput,
  ElRadio,
  ElRadioGroup,
  ElResult,
  ElTable,
  ElTableColumn,
  ElTag,
} from "element-plus";
import "element-plus/dist/index.css";
import "element-plus/theme-chalk/dark/css-vars.css";
import "leaflet/dist/leaflet.css";
import "./styles/main.css";

import App from "./App.vue";
import { router } from "./router";

/** Only the Element Plus components the UI uses are registered, which keeps the bundle (and start-up) small. */
const COMPONENTS: Plugin[] = [
  ElAlert, ElAutocomplete, ElButton, ElCard, ElConfigProvider, ElDescriptions, ElDescriptionsItem, ElForm,
  ElFormItem, ElIcon, ElInput, ElRadio, ElRadioGroup, ElResult, ElTable, ElTableColumn, ElTag,
];

document.documentElement.classList.add("dark");
const app = createApp(App).use(createPinia()).use(router);
COMPONENTS.forEach((c) => app.use(c));
app.mount("#app");
