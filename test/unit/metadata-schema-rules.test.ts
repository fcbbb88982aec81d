import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ParseError } from "../../src/core/errors.js";
import { CAPNP_SOURCES } from "../../src/metadata/bootstrap/capnp-sources.js";
import { starterFiles } from "../../src/metadata/bootstrap/init-tree.js";
import { formatProblem } from "../../src/metadata/problems.js";
import { capnpFields, compareSchemas } from "../../src/metadata/schema-compat.js";
import { checkSchemaFile, sha256 } from "../../src/metadata/schema-file.js";
import { parseYamlText } from "../../src/metadata/yaml-file.js";

const TRADE = CAPNP_SOURCES["trade.v1.capnp"] ?? "";

function schemaProblems(text: string, name = "trade"): string[] {
  return checkSchemaFile(parseYamlText(`schemas/${name}.yaml`, text), name).problems.map(formatProblem);
}

describe("schema files", () => {
  it("the bootstrapped schema files carry the sha256 of their .capnp source", () => {
    const files = starterFiles();
    const yaml = files.get("schemas/trade.yaml") ?? "";
    assert.match(yaml, new RegExp(`sha256: ${sha256(TRADE)}`));
    assert.deepEqual(schemaProblems(yaml), []);
    assert.equal(capnpFields(TRADE).get("Trade.@2")?.name, "yesPrice");
  });

  it("rejects unknown status and format, bad hashes and duplicate versions", () => {
    const yaml = starterFiles().get("schemas/trade.yaml") ?? "";
    assert.match(
      schemaProblems(yaml.replace("status: active", "status: live"))[0] ?? "",
      /:\d+ versions\[0\]\.status: must be one of draft, active, deprecated/,
    );
    assert.match(
      schemaProblems(yaml.replace("format: capnp", "format: avro"))[0] ?? "",
      /versions\[0\]\.format: must be one of capnp, json_schema, protobuf/,
    );
    assert.match(
      schemaProblems(yaml.replace(/sha256: \w+/, "sha256: abc"))[0] ?? "",
      /versions\[0\]\.sha256: must be 64 lower-case hex digits/,
    );
    const twice = `${yaml}${yaml.slice(yaml.indexOf("  - version"))}`;
    assert.match(schemaProblems(twice)[0] ?? "", /versions\[1\]\.version: duplicate version 'v1'/);
  });
});

describe("schema compatibility", () => {
  it("capnp: added fields are compatible, changed types and removed fields are not", () => {
    const added = TRADE.replace("  receivedUs @7 :Int64;", "  receivedUs @7 :Int64;\n  venue @8 :Text;");
    assert.deepEqual(compareSchemas("capnp", TRADE, added), {
      compatible: true,
      breaking: [],
      additions: ["Trade.@8 (venue: Text) added"],
      notes: [],
    });
    const retyped = TRADE.replace("count @4 :Int64;", "count @4 :Float64;");
    assert.deepEqual(compareSchemas("capnp", TRADE, retyped).breaking, [
      "Trade.@4 (count) type changed Int64 → Float64",
    ]);
    const removed = TRADE.replace("    no @1;\n", "");
    assert.deepEqual(compareSchemas("capnp", TRADE, removed).breaking, [
      "Trade.Side.@1 (no: enumerant) removed",
    ]);
    const renamed = TRADE.replace("tradeId @1", "id @1");
    assert.deepEqual(compareSchemas("capnp", TRADE, renamed).notes, [
      "Trade.@1 renamed tradeId → id (wire-compatible)",
    ]);
  });

  it("protobuf compares field numbers", () => {
    const v1 = "message Trade {\n  string ticker = 1;\n  int64 price = 2;\n}\n";
    assert.equal(
      compareSchemas("protobuf", v1, v1.replace("int64 price = 2;", "int64 price = 2;\n  int64 size = 3;"))
        .compatible,
      true,
    );
    assert.deepEqual(compareSchemas("protobuf", v1, v1.replace("int64 price", "string price")).breaking, [
      "Trade.2 (price) type changed int64 → string",
    ]);
  });

  it("json_schema: new required properties and type changes break readers", () => {
    const v1 = JSON.stringify({
      properties: { ticker: { type: "string" }, price: { type: "number" } },
      required: ["ticker"],
    });
    const v2 = JSON.stringify({
      properties: { ticker: { type: "string" }, price: { type: "string" }, side: { type: "string" } },
      required: ["ticker", "side"],
    });
    const report = compareSchemas("json_schema", v1, v2);
    assert.equal(report.compatible, false);
    assert.deepEqual(report.breaking, [
      'property \'price\' type changed "number" → "string"',
      "property 'side' is newly required",
    ]);
    assert.deepEqual(report.additions, ["property 'side' added"]);
    assert.throws(() => compareSchemas("json_schema", "{", v2), ParseError);
  });
});
