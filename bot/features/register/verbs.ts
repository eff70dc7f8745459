// Callback verbs of the staff register (codec: bot/kit/callbacks.ts, ≤ 64 bytes). A row opens the staff card
// through the staff feature's own verb (fs.v), where «Исключить из БД» is offered when the table allows it.
//
//   rg.l                               the register, first page (with the search applied in the session)
//   rg.p:<page>:<n|p>:<at36>:<id>      a page after (n) / before (p) the keyset cursor (statusChangedAt, id)
//   rg.f                               «Найти»: type a BIN/IIN or a part of the name
//   rg.x                               «Сбросить параметры поиска»
//   rg.c                               cancel the typed search
import { defineVerbs } from "../../kit/callbacks.ts";

export const V = defineVerbs({
  list: "rg.l",
  page: "rg.p",
  find: "rg.f",
  reset: "rg.x",
  cancel: "rg.c",
});
