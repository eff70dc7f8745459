// Callback verbs of «Мои заявки» (codec: bot/kit/callbacks.ts, ≤ 64 bytes). The actions on an application
// («Внести изменение», «Сформировать», «Отправить на подписание»…) are the drafts feature's verbs
// (views/actions.ts SUPPLIER_ACTION_BUTTONS).
//
//   my.l:<page>          the list (with the applied search filter)    my.v:<app>          «Просмотр»
//   my.ver:<app>         «Просмотр версий»                            my.f                the search filter
//   my.fs / my.fs:<st|x> status: pick / set                           my.fr / my.fr:<rg|x> region: pick / set
//   my.fp:<period|x>     period                                       my.fn               type a number
//   my.go                «Найти»                                      my.fx               «Сбросить параметры поиска»
import { defineVerbs } from "../../kit/callbacks.ts";

export const V = defineVerbs({
  list: "my.l",
  view: "my.v",
  versions: "my.ver",
  filter: "my.f",
  status: "my.fs",
  region: "my.fr",
  period: "my.fp",
  number: "my.fn",
  find: "my.go",
  reset: "my.fx",
});
