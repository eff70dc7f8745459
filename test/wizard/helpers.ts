// The wizard tests' driver: the shared steps of test/helpers/e2e.ts under the names these tests use.
export {
  decoded,
  fileHarness as wizardHarness,
  fillBase,
  latestApplication as draftOf,
  PDF,
  pickKatoLeaf,
  pressVerb,
  selectAll,
  stepOf,
} from "../helpers/e2e.ts";
