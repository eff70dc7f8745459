// The licensing registry's Russian values in the reader's language (domain/registryValues.ts): official Kazakh
// terms for Kazakh readers, the registry's own spelling for Russian readers, unknown values as given.
import { describe, expect, it } from "vitest";
import { REGISTRY_TERMS, registryTerm, registryValue } from "../../domain/registryValues.ts";

describe("registry values", () => {
  it("gives the official Kazakh term for the values of seed 000 §1.1 (status, type, category)", () => {
    expect(registryValue("status", "Действительный", "kk")).toEqual({ text: "Жарамды", known: true });
    expect(registryValue("type", "генеральная лицензия", "kk").text).toBe("бас лицензия");
    expect(registryValue("category", "Лицензия на вид деятельности", "kk").text).toBe(
      "Қызмет түріне лицензия",
    );
    // the seed's own misspelling and a short form are the same terms
    expect(registryValue("category", "Лицензия на вид деяятельности", "kk").text).toBe(
      "Қызмет түріне лицензия",
    );
    expect(registryValue("type", "Генеральная", "kk").text).toBe("бас лицензия");
  });

  it("ignores case, «ё», quotes and spacing when matching", () => {
    expect(registryTerm("status", "  ДЕЙСТВИТЕЛЬНЫЙ ")?.kk).toBe("Жарамды");
    expect(registryTerm("licensor", 'ГУ "Управление общественного здравоохранения  города Астаны"')?.kk).toBe(
      "«Астана қаласының Қоғамдық денсаулық сақтау басқармасы» ММ",
    );
  });

  it("keeps the registry's spelling for Russian readers", () => {
    expect(registryValue("status", "Действительный", "ru")).toEqual({ text: "Действительный", known: true });
    expect(registryValue("type", "Генеральная", "ru").text).toBe("Генеральная");
  });

  it("shows an unknown value as given and says it is unknown (the caller logs it)", () => {
    expect(registryValue("status", "Отозван прокуратурой", "kk")).toEqual({
      text: "Отозван прокуратурой",
      known: false,
    });
    expect(registryValue("licensor", "", "kk")).toEqual({ text: "", known: true });
  });

  it("has a Kazakh term for every Russian one, none of them Russian", () => {
    for (const terms of Object.values(REGISTRY_TERMS))
      for (const t of terms) {
        expect(t.kk.trim()).not.toBe("");
        expect(t.kk).not.toBe(t.ru);
      }
  });
});
