// Callback verbs of the main menu. Each entry is handled by the feature that owns the screen:
// licences, my applications, head, new application / drafts, staff queue, services, language / help (menu).
import { defineVerbs } from "../../kit/callbacks.ts";

export const MENU = defineVerbs({
  menu: "m.menu",
  licences: "m.lic",
  newApplication: "m.new",
  applications: "m.apps",
  drafts: "m.drafts",
  services: "m.svc",
  head: "m.head",
  queue: "m.queue",
  register: "m.reg",
  language: "m.lang",
  help: "m.help",
});
